import { notFound, type EntityManager } from '@esc/service-kit';
import { LIFE_SITUATIONS, type LifeSituationData, type RegionLifeSituations } from '../data-access/life-situations';
import { servicesByCode, type ServiceSummaryRow } from '../data-access/navigator-store';

export interface LifeSituationStep {
  order: number;
  title: string;
  kind: 'catalog_service' | 'measure';
  description: string;
  service_code: string | null;
  service: { code: string; name: string; unit: string; form: string; href: string; providers_href: string } | null;
  agency: string;
  where: string;
  how_to_start: string;
  documents: string[];
  proactive: boolean;
}

function regionSituations(region: string): RegionLifeSituations {
  const found = LIFE_SITUATIONS.get(region);
  if (!found) {
    throw notFound('region_life_situations_not_found', `Для региона ${region} жизненные ситуации пока не описаны. Обратитесь в орган социальной защиты населения своего региона.`, {
      region_code: region,
    });
  }
  return found;
}

const serviceCodes = (s: LifeSituationData) => [...new Set(s.steps.flatMap((step) => (step.service_code ? [step.service_code] : [])))];

export function listLifeSituations(region: string) {
  const { region_code, version, items } = regionSituations(region);
  return {
    region_code,
    version,
    items: items.map((s) => ({
      code: s.code,
      title: s.title,
      summary: s.summary,
      service_codes: serviceCodes(s),
      href: `/v1/life-situations/${s.code}?region=${region_code}`,
    })),
  };
}

/** A situation with its steps; catalog services are described as the catalog has them now. */
export async function getLifeSituation(em: EntityManager, region: string, code: string) {
  const { region_code, version, items } = regionSituations(region);
  const situation = items.find((s) => s.code === code);
  if (!situation) {
    throw notFound('life_situation_not_found', `Жизненная ситуация «${code}» для региона ${region_code} не найдена; список — GET /v1/life-situations?region=${region_code}.`, {
      code,
      region_code,
    });
  }
  const codes = serviceCodes(situation);
  const services: ServiceSummaryRow[] = codes.length ? await servicesByCode(em, codes) : [];
  return {
    code: situation.code,
    region_code,
    version,
    title: situation.title,
    summary: situation.summary,
    steps: situation.steps.map((step, i): LifeSituationStep => {
      const service = step.service_code ? services.find((s) => s.code === step.service_code) : undefined;
      return {
        order: i + 1,
        title: step.title,
        kind: step.kind,
        description: step.description,
        service_code: step.service_code ?? null,
        service: service
          ? { ...service, href: `/v1/catalog/services/${service.code}`, providers_href: `/v1/providers?service=${service.code}` }
          : null,
        agency: step.agency,
        where: step.where,
        how_to_start: step.how_to_start,
        documents: step.documents,
        proactive: step.proactive ?? false,
      };
    }),
  };
}
