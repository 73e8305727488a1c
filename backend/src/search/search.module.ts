import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MroongaWorkOrderSearch } from './mroonga-work-order-search';
import { MysqlNgramWorkOrderSearch } from './mysql-ngram-work-order-search';
import { SqliteFts5WorkOrderSearch } from './sqlite-fts5-work-order-search';
import { WorkOrderSearch } from './work-order-search';

/**
 * The work-order search for the engine the app runs on. The flavour comes from SELECT VERSION() at start
 * (detectMysqlFlavour, which sets the DataSource type to 'mariadb' or 'mysql').
 */
export function workOrderSearchFor(dataSource: DataSource): WorkOrderSearch {
  switch (dataSource.options.type) {
    case 'better-sqlite3':
      return new SqliteFts5WorkOrderSearch(dataSource);
    case 'mariadb':
      return new MroongaWorkOrderSearch(dataSource);
    case 'mysql':
      return new MysqlNgramWorkOrderSearch(dataSource);
    default:
      throw new Error(`No work-order search for the database type ${dataSource.options.type}`);
  }
}

@Module({
  providers: [{ provide: WorkOrderSearch, inject: [DataSource], useFactory: workOrderSearchFor }],
  exports: [WorkOrderSearch],
})
export class SearchModule {}
