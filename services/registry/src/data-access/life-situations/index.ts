import { LIFE_SITUATIONS_73 } from './73';
import type { RegionLifeSituations } from './types';

/**
 * Life situations as versioned data files, one per region, rather than a table: the texts are edited
 * and reviewed like code, they change with releases (no one edits them at run time yet), and a test
 * checks that every catalog code they name exists.
 */
export const LIFE_SITUATIONS: ReadonlyMap<string, RegionLifeSituations> = new Map([[LIFE_SITUATIONS_73.region_code, LIFE_SITUATIONS_73]]);

export type { LifeSituationData, LifeSituationStepData, RegionLifeSituations } from './types';
