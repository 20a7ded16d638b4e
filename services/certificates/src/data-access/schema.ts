export const CERTIFICATES_SCHEMA = 'certificates';
