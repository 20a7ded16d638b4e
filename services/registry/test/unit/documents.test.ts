import { acceptedMediaType, MAX_DOCUMENT_BYTES, sniffMediaType } from '../../src/domain/documents';
import { withWinding } from '../../src/domain/districts';

const PDF = Buffer.from('%PDF-1.4\n');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]);

describe('Accepting a document', () => {
  it('When the content starts with a PDF, JPEG or PNG signature, then that is its type whatever the name', () => {
    expect([PDF, JPEG, PNG].map(sniffMediaType)).toEqual(['application/pdf', 'image/jpeg', 'image/png']);
    expect(sniffMediaType(Buffer.from('%PDF'))).toBeUndefined();
    expect(sniffMediaType(Buffer.from('MZ\x90\x00'))).toBeUndefined();
  });

  it('When a file is exactly 10 MB, then it is accepted; a byte more is 413 document_too_large', () => {
    const limit = Buffer.concat([PDF, Buffer.alloc(MAX_DOCUMENT_BYTES - PDF.length, 0x20)]);
    expect(acceptedMediaType(limit, 'file')).toBe('application/pdf');
    expect(() => acceptedMediaType(Buffer.concat([limit, Buffer.from(' ')]), 'file')).toThrow(
      expect.objectContaining({ kind: 'too_large', code: 'document_too_large', extensions: { max_bytes: MAX_DOCUMENT_BYTES } }),
    );
  });

  it('When a file is empty or of another type, then 400 names the field the client used', () => {
    expect(() => acceptedMediaType(Buffer.alloc(0), 'content_base64')).toThrow(expect.objectContaining({ code: 'document_empty', fieldProblems: [{ field: 'content_base64', message: 'файл пустой' }] }));
    expect(() => acceptedMediaType(Buffer.from('MZ\x90\x00'), 'file')).toThrow(
      expect.objectContaining({ code: 'document_type_not_allowed', fieldProblems: [{ field: 'file', message: 'допускаются только PDF, JPEG и PNG' }] }),
    );
  });
});

describe('District map winding', () => {
  const ring: Array<[number, number]> = [
    [48, 54],
    [49, 54],
    [49, 55],
    [48, 54],
  ];
  const map = {
    type: 'FeatureCollection' as const,
    region_code: '73',
    winding: 'rfc7946' as const,
    region_name: 'Ульяновская область',
    features: [{ type: 'Feature' as const, id: '73701000', properties: {}, geometry: { type: 'Polygon' as const, coordinates: [ring, [...ring]] } }],
  };

  it('When d3 winding is asked, then every ring is reversed and the rest of the map kept; RFC 7946 is the map as stored', () => {
    const d3 = withWinding(map, 'd3');
    expect(d3).toMatchObject({ winding: 'd3', region_name: 'Ульяновская область' });
    expect(d3.features[0]!.geometry.coordinates).toEqual([[...ring].reverse(), [...ring].reverse()]);
    expect(map.features[0]!.geometry.coordinates[0]).toEqual(ring);
    expect(withWinding(map, 'rfc7946')).toBe(map);
  });
});
