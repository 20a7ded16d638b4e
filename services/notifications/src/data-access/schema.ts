export const NOTIFICATIONS_SCHEMA = 'notifications';
