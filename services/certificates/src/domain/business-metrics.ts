import { serviceMetrics } from '@esc/service-kit';

/** Business counters on /metrics: incremented once the use case's transaction commits (a counter increment, nothing more). */
export const actsHeld = serviceMetrics('certificates').counter('certificates_acts_held_total', 'Acts of delivered services recorded with their money held.');
export const actsPosted = serviceMetrics('certificates').counter('certificates_acts_posted_total', 'Acts whose hold was posted to the provider (confirmed or lapsed).');
