import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { CategoriesModule } from '../categories/categories.module';
import { UsersModule } from '../users/users.module';
import { KnowledgeArticle } from './knowledge-article.entity';
import { KnowledgeController } from './knowledge.controller';
import { KnowledgeDemoService } from './knowledge-demo.service';
import { KnowledgeRepository } from './knowledge.repository';
import { KnowledgeService } from './knowledge.service';
import { KnowledgeTerm } from './knowledge-term.entity';

/**
 * 知识库: articles agents search beside the intake form (GET /api/knowledge), written by the center's editors, with
 * a term index of CJK bigrams (knowledge_terms) that works alike on SQLite and MariaDB. KnowledgeDemoService fills
 * it for the demo city.
 */
@Module({
  imports: [TypeOrmModule.forFeature([KnowledgeArticle, KnowledgeTerm]), AuditModule, CategoriesModule, UsersModule],
  controllers: [KnowledgeController],
  providers: [KnowledgeRepository, KnowledgeService, KnowledgeDemoService],
  exports: [KnowledgeDemoService],
})
export class KnowledgeModule {}
