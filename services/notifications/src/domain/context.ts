import type { MikroORM } from '@mikro-orm/postgresql';

/** What the notifications use cases need from outside: the database. */
export interface Deps {
  orm: MikroORM;
}
