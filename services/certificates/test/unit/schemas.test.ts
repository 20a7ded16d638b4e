import { deliveryBody } from '../../src/api/schemas';

/** Text must reach PostgreSQL as sent: what it cannot store is refused as invalid input, naming the field. */
describe('Storable text in an act', () => {
  const act = (staff: { name: string; position: string }) => ({ delivered_on: '2026-11-20', units: 1, staff });
  const fieldsAtFault = (body: unknown) => {
    const parsed = deliveryBody.safeParse(body);
    return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
  };

  test.each([
    ['a NUL character', { name: 'Попова\u0000Анна', position: 'социальный работник' }, ['staff.name']],
    ['a lone high surrogate', { name: 'Попова Анна', position: 'работник \ud83d' }, ['staff.position']],
    ['a lone low surrogate', { name: '\ude00Попова', position: 'работник' }, ['staff.name']],
    ['a surrogate pair out of order', { name: 'Попова \ude00\ud83d', position: 'работник' }, ['staff.name']],
  ])('When a staff field holds %s, then it is refused naming the field', (_, staff, fields) => {
    expect(fieldsAtFault(act(staff))).toEqual(fields);
  });

  test('When staff fields hold Cyrillic, an emoji (a proper surrogate pair) and other control-free text, then they are accepted', () => {
    expect(fieldsAtFault(act({ name: 'Попова Анна 😀', position: 'социальный работник «1-й категории»' }))).toEqual([]);
  });
});
