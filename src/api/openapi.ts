export function openApiDocument(): object {
  return { openapi: '3.1.0', info: { title: 'Accelero', version: '0.1.0' }, paths: {} };
}
