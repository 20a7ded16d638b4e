export interface LifeSituationStepData {
  title: string;
  /** catalog_service: bought with the social certificate from an admitted provider; measure: anything else. */
  kind: 'catalog_service' | 'measure';
  service_code?: string;
  description: string;
  agency: string;
  where: string;
  how_to_start: string;
  documents: string[];
  /** Given without an application once the agency learns of the event. */
  proactive?: boolean;
}

export interface LifeSituationData {
  code: string;
  title: string;
  summary: string;
  steps: LifeSituationStepData[];
}

export interface RegionLifeSituations {
  region_code: string;
  /** Raised with every change of the texts, so the navigator can tell which edition it shows. */
  version: string;
  items: LifeSituationData[];
}
