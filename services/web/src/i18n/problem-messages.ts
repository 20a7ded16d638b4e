/**
 * One Russian message per problem `code` the services may answer (test/problem-messages.test.ts
 * fails on a code in openapi/*.yaml without one). A screen shows the service's own `detail` when
 * there is one; this table is what a person reads when there is not, and the title of the error.
 */
export const PROBLEM_MESSAGES: Record<string, string> = {
  network_error: 'Нет связи с сервером. Проверьте подключение к интернету и повторите попытку.',
  unexpected_error: 'Что-то пошло не так. Повторите попытку; если ошибка повторится, обратитесь в поддержку.',
  service_unavailable: 'Сервис временно недоступен. Повторите попытку через несколько минут.',
  no_session: 'Вы не вошли в систему или сеанс истёк. Войдите снова.',
  csrf_failed: 'Запрос отклонён из соображений безопасности. Обновите страницу и повторите действие.',
  web_app_not_built: 'Приложение ещё не собрано.',
};

export function problemMessage(code: string): string {
  return PROBLEM_MESSAGES[code] ?? PROBLEM_MESSAGES.unexpected_error!;
}
