import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import * as argon2 from 'argon2';
import { APP_CONFIG, type AppConfig, type PasswordHashCost } from '../config/app-config';

/** argon2id password hashes, at the configured cost (PASSWORD_HASH_*); a hash is checked at the cost it was made with. */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private dummyHash: Promise<string> | null = null;
  private readonly cost: PasswordHashCost;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'auth'>) {
    this.cost = config.auth.passwordHash;
  }

  /** Computes the dummy hash at start-up, so that not even the first unknown username takes longer than a known one. */
  onModuleInit(): void {
    this.dummyHash ??= this.hash('jiesu-no-such-user');
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id, memoryCost: this.cost.memoryKib, timeCost: this.cost.iterations, parallelism: this.cost.parallelism });
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /** Spends the same time as a real check, for unknown usernames. */
  async verifyAgainstDummy(password: string): Promise<void> {
    this.dummyHash ??= this.hash('jiesu-no-such-user');
    await this.verify(await this.dummyHash, password);
  }
}
