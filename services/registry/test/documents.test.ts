import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { startRegistry, type RegistryHarness } from './harness';
import { REHAB_ID, ZABOTA_ID, zabotaRegistration } from './fixtures';

let registry: RegistryHarness;

beforeAll(async () => {
  registry = await startRegistry('documents');
  const res = await (await registry.as('zabota-admin')).post('/v1/providers', zabotaRegistration());
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
});
afterAll(async () => {
  await registry?.stop();
});

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 1)]);
const upload = (bytes: Buffer, overrides: Record<string, unknown> = {}) => ({
  kind: 'tax_certificate',
  title: 'Справка ФНС об исполнении обязанности по уплате налогов',
  file_name: 'spravka.pdf',
  valid_until: '2027-01-31',
  content_base64: bytes.toString('base64'),
  ...overrides,
});
/** What a browser sends from <form enctype="multipart/form-data">. */
function form(file: Buffer | undefined, fileName = 'справка ФНС.pdf', fields: Record<string, string> = {}, fileField = 'file') {
  const body = new FormData();
  const values = { kind: 'tax_certificate', title: 'Справка ФНС об исполнении обязанности по уплате налогов', valid_until: '2027-01-31', ...fields };
  for (const [name, value] of Object.entries(values)) body.set(name, value);
  if (file) body.set(fileField, new Blob([file], { type: 'application/pdf' }), fileName);
  return body;
}
async function postForm(body: FormData, username?: string, providerId = ZABOTA_ID) {
  const headers: Record<string, string> = username ? { authorization: `Bearer ${await registry.token(username)}` } : {};
  const res = await fetch(`${registry.url}/v1/providers/${providerId}/documents`, { method: 'POST', body, headers });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as any };
}
const storedFiles = () => readdirSync(registry.service.config.DOCUMENTS_DIR, { recursive: true }).filter((f) => String(f).length > 3);

describe('Provider documents from a browser form (multipart/form-data)', () => {
  it('When the provider admin uploads a PDF from a form, then it is stored with its SHA-256, size, type, validity and the file’s own name', async () => {
    const res = await postForm(form(PDF), 'zabota-admin');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      provider_id: ZABOTA_ID,
      kind: 'tax_certificate',
      file_name: 'справка ФНС.pdf',
      media_type: 'application/pdf',
      size_bytes: PDF.length,
      sha256: createHash('sha256').update(PDF).digest('hex'),
      valid_until: '2027-01-31',
    });
    const content = await fetch(`${registry.url}/v1/providers/${ZABOTA_ID}/documents/${res.body.id}/content`, {
      headers: { authorization: `Bearer ${await registry.token('zabota-admin')}` },
    });
    expect(Buffer.from(await content.arrayBuffer()).equals(PDF)).toBe(true);
  });

  it('When a form’s date is left empty, then the document does not expire; a PNG sent as application/pdf is stored as PNG', async () => {
    const res = await postForm(form(PNG, 'scan.pdf', { valid_until: '' }), 'zabota-admin');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ valid_until: null, media_type: 'image/png' });
  });

  it('When the file is over 10 MB, then 413 document_too_large as problem+json and nothing is stored', async () => {
    const before = storedFiles().length;
    const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024 + 1 - PDF.length, 0x20)]);
    const res = await postForm(form(big), 'zabota-admin');
    expect(res.status).toBe(413);
    expect(res.type).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'document_too_large', max_bytes: 10 * 1024 * 1024 });
    expect(res.body.detail).toContain('10 МБ');
    expect(storedFiles().length).toBe(before);
  });

  it('When the file is an executable named .pdf, then 400 document_type_not_allowed names the file field and nothing is stored', async () => {
    const before = storedFiles().length;
    const res = await postForm(form(Buffer.from('MZ\x90\x00 this is an executable')), 'zabota-admin');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'document_type_not_allowed', errors: [{ field: 'file' }] });
    expect(storedFiles().length).toBe(before);
  });

  it('When the form has no file, the file under another name or no title, then 400 names the field', async () => {
    const noFile = await postForm(form(undefined), 'zabota-admin');
    expect(noFile.status).toBe(400);
    expect(noFile.body.errors).toEqual([{ field: 'file', message: expect.stringContaining('приложите файл') }]);
    const otherField = await postForm(form(PDF, 'a.pdf', {}, 'document'), 'zabota-admin');
    expect(otherField.status).toBe(400);
    expect(otherField.body.errors[0].field).toBe('file');
    const noTitle = await postForm(form(PDF, 'a.pdf', { title: '' }), 'zabota-admin');
    expect(noTitle.status).toBe(400);
    expect(noTitle.body.errors[0].field).toBe('title');
  });

  it('When someone other than the provider’s admin sends a form, then 401 or 403 and nothing is stored', async () => {
    const before = storedFiles().length;
    expect((await postForm(form(PDF))).status).toBe(401);
    expect((await postForm(form(PDF), 'rehab-admin')).status).toBe(403);
    expect((await postForm(form(PDF), 'zabota-staff')).status).toBe(403);
    expect(storedFiles().length).toBe(before);
  });
});

describe('Provider documents', () => {
  it('When the provider admin uploads a PDF, then it is stored with its SHA-256, size, type and validity, and reads back byte for byte', async () => {
    const zabota = await registry.as('zabota-admin');
    const res = await zabota.post(`/v1/providers/${ZABOTA_ID}/documents`, upload(PDF));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      provider_id: ZABOTA_ID,
      media_type: 'application/pdf',
      size_bytes: PDF.length,
      sha256: createHash('sha256').update(PDF).digest('hex'),
      valid_until: '2027-01-31',
    });
    const content = await fetch(`${registry.url}/v1/providers/${ZABOTA_ID}/documents/${res.body.id}/content`, {
      headers: { authorization: `Bearer ${await registry.token('committee-73')}` },
    });
    expect(content.status).toBe(200);
    expect(content.headers.get('content-type')).toContain('application/pdf');
    expect(Buffer.from(await content.arrayBuffer()).equals(PDF)).toBe(true);
  });

  it('When a PNG is uploaded under a .pdf name, then its type comes from the content', async () => {
    const zabota = await registry.as('zabota-admin');
    const res = await zabota.post(`/v1/providers/${ZABOTA_ID}/documents`, upload(PNG, { file_name: 'scan.pdf' }));
    expect(res.status).toBe(201);
    expect(res.body.media_type).toBe('image/png');
  });

  it('When the file is not PDF, JPEG or PNG, then 400 document_type_not_allowed and nothing is stored', async () => {
    const zabota = await registry.as('zabota-admin');
    const before = storedFiles().length;
    const res = await zabota.post(`/v1/providers/${ZABOTA_ID}/documents`, upload(Buffer.from('MZ\x90\x00 this is an executable'), { file_name: 'spravka.pdf' }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'document_type_not_allowed', errors: [{ field: 'content_base64' }] });
    expect(storedFiles().length).toBe(before);
  });

  it('When the file is over 10 MB, then 413 document_too_large before storage; far over the body limit, 413 payload_too_large', async () => {
    const zabota = await registry.as('zabota-admin');
    const before = storedFiles().length;
    const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024 + 1 - PDF.length, 0x20)]);
    const res = await zabota.post(`/v1/providers/${ZABOTA_ID}/documents`, upload(big));
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('document_too_large');
    const huge = await zabota.post(`/v1/providers/${ZABOTA_ID}/documents`, upload(Buffer.alloc(12 * 1024 * 1024, 0x41)));
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('payload_too_large');
    expect(storedFiles().length).toBe(before);
    const list = await zabota.get(`/v1/providers/${ZABOTA_ID}/documents`);
    expect(list.body.items.map((d: any) => d.media_type)).toEqual(['application/pdf', 'image/png', 'application/pdf', 'image/png']);
  });

  it('When another provider uploads to or reads this provider’s documents, then 403', async () => {
    const rehab = await registry.as('rehab-admin');
    expect((await rehab.post(`/v1/providers/${ZABOTA_ID}/documents`, upload(PDF))).status).toBe(403);
    expect((await rehab.get(`/v1/providers/${ZABOTA_ID}/documents`)).status).toBe(403);
    const own = await rehab.get(`/v1/providers/${REHAB_ID}/documents`);
    expect(own.status).toBe(404);
  });

  it('When content_base64 is not base64, then 400 names the field', async () => {
    const zabota = await registry.as('zabota-admin');
    const res = await zabota.post(`/v1/providers/${ZABOTA_ID}/documents`, upload(PDF, { content_base64: 'не base64!' }));
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('content_base64');
  });
});

