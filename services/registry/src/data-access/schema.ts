export const REGISTRY_SCHEMA = 'registry';
