import { notFound, type Principal } from '@esc/service-kit';
import { LIFE_SITUATIONS, type LifeSituationData, type RegionLifeSituations } from '../data-access/life-situations';
import { servicesByCode, type ServiceSummaryRow } from '../data-access/navigator-store';
import type { Deps } from './deps';

export type { RegionLifeSituations };

function regionSituations(region: string): RegionLifeSituations {
  const found = LIFE_SITUATIONS.get(region);
  if (!found) {
    throw notFound('region_life_situations_not_found', `Для региона ${region} жизненные ситуации пока не описаны. Обратитесь в орган социальной защиты населения своего региона.`, {
      region_code: region,
    });
  }
  return found;
}

/** The catalog services a situation's steps name, each once, in the order they come. */
export const serviceCodesOf = (s: LifeSituationData) => [...new Set(s.steps.flatMap((step) => (step.service_code ? [step.service_code] : [])))];

export async function listLifeSituations(_deps: Deps, _principal: Principal, input: { region: string }): Promise<RegionLifeSituations> {
  return regionSituations(input.region);
}

export interface LifeSituation {
  region_code: string;
  version: string;
  situation: LifeSituationData;
  /** The catalog services its steps name, as the catalog has them now. */
  services: ServiceSummaryRow[];
}

export async function getLifeSituation(deps: Deps, _principal: Principal, input: { region: string; code: string }): Promise<LifeSituation> {
  const { region_code, version, items } = regionSituations(input.region);
  const situation = items.find((s) => s.code === input.code);
  if (!situation) {
    throw notFound('life_situation_not_found', `Жизненная ситуация «${input.code}» для региона ${region_code} не найдена; список — GET /v1/life-situations?region=${region_code}.`, {
      code: input.code,
      region_code,
    });
  }
  const codes = serviceCodesOf(situation);
  const services = codes.length ? await servicesByCode(deps.orm.em.fork(), codes) : [];
  return { region_code, version, situation, services };
}
