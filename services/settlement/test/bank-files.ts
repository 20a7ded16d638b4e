import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import iconv from 'iconv-lite';

/**
 * The real bank files of /work/shared/bank-formats (see the README there), read in place and never
 * copied into the repository: `BANK_FORMATS_DIR`, else the first `shared/bank-formats` found walking up
 * from this directory (it lies beside the repository's root, whichever worktree runs the tests).
 */
export function bankFormatsDir(): string {
  if (process.env.BANK_FORMATS_DIR) return process.env.BANK_FORMATS_DIR;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'bank-formats');
    if (existsSync(join(candidate, 'README.md'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`shared/bank-formats not found above ${__dirname}; set BANK_FORMATS_DIR`);
  }
}

export const bankFile = (...path: string[]): Buffer => readFileSync(join(bankFormatsDir(), ...path));

/**
 * A 1CClientBankExchange file as lines, keeping what the bank chose for line ends and for the end of
 * the file, so a copy adapted at run time (accounts, amounts, references) is otherwise the bank's file.
 */
export class OneCFile {
  constructor(
    public lines: string[],
    public eol: '\r\n' | '\n',
    public finalEol: boolean,
  ) {}

  static read(path: string): OneCFile {
    const text = iconv.decode(bankFile(path), 'win1251');
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const finalEol = text.endsWith(eol);
    return new OneCFile((finalEol ? text.slice(0, -eol.length) : text).split(eol), eol, finalEol);
  }

  clone(): OneCFile {
    return new OneCFile([...this.lines], this.eol, this.finalEol);
  }

  /** Every occurrence of `from` in every line (an account number, say). */
  replace(from: string, to: string): this {
    this.lines = this.lines.map((l) => l.split(from).join(to));
    return this;
  }

  /** The lines of each `СекцияДокумент` … `КонецДокумента`, as [first, last] indexes. */
  documents(): Array<[number, number]> {
    const found: Array<[number, number]> = [];
    this.lines.forEach((l, i) => {
      if (l.startsWith('СекцияДокумент=')) found.push([i, i]);
      if (l === 'КонецДокумента') found[found.length - 1]![1] = i;
    });
    return found;
  }

  /** The document with that `Номер`. */
  private documentNumbered(number: string): [number, number] {
    const doc = this.documents().find(([first, last]) => this.lines.slice(first, last).includes(`Номер=${number}`));
    if (!doc) throw new Error(`no document № ${number}`);
    return doc;
  }

  field(number: string, key: string): string | undefined {
    const [first, last] = this.documentNumbered(number);
    return this.lines.slice(first, last).find((l) => l.startsWith(`${key}=`))?.slice(key.length + 1);
  }

  /** Sets fields of the document with that `Номер` where the bank wrote them (added before its end when absent). */
  set(number: string, fields: Record<string, string>): this {
    for (const [key, value] of Object.entries(fields)) {
      const [first, last] = this.documentNumbered(number);
      const at = this.lines.findIndex((l, i) => i > first && i < last && l.startsWith(`${key}=`));
      if (at >= 0) this.lines[at] = `${key}=${value}`;
      else this.lines.splice(last, 0, `${key}=${value}`);
    }
    return this;
  }

  /** A header or account-section line `key=…` (the first one). */
  setHeader(key: string, value: string): this {
    const at = this.lines.findIndex((l) => l.startsWith(`${key}=`));
    if (at < 0) throw new Error(`no ${key}`);
    this.lines[at] = `${key}=${value}`;
    return this;
  }

  /** Makes the account section's totals and closing balance agree with the documents again after amounts were adapted. */
  retotal(account: string): this {
    const cents = (s: string) => BigInt(s.replace('.', ''));
    const rub = (c: bigint) => `${c < 0n ? '-' : ''}${(c < 0n ? -c : c) / 100n}.${String((c < 0n ? -c : c) % 100n).padStart(2, '0')}`;
    let debits = 0n;
    let credits = 0n;
    for (const [first, last] of this.documents()) {
      const doc = this.lines.slice(first, last);
      const get = (k: string) => doc.find((l) => l.startsWith(`${k}=`))?.slice(k.length + 1);
      const amount = cents(get('Сумма')!);
      if (get('ПлательщикСчет') === account) debits += amount;
      else if (get('ПолучательСчет') === account) credits += amount;
    }
    const section = this.lines.indexOf('СекцияРасчСчет');
    const end = this.lines.indexOf('КонецРасчСчет');
    const set = (key: string, value: string) => {
      const at = this.lines.findIndex((l, i) => i > section && i < end && l.startsWith(`${key}=`));
      if (at >= 0) this.lines[at] = `${key}=${value}`;
    };
    const opening = cents(this.lines.slice(section, end).find((l) => l.startsWith('НачальныйОстаток='))!.split('=')[1]!);
    set('ВсегоСписано', rub(debits));
    set('ВсегоПоступило', rub(credits));
    set('КонечныйОстаток', rub(opening + credits - debits));
    return this;
  }

  text(eol: '\r\n' | '\n' = this.eol): string {
    return this.lines.join(eol) + (this.finalEol ? eol : '');
  }

  bytes(options: { eol?: '\r\n' | '\n'; encoding?: 'win1251' | 'cp866' } = {}): Buffer {
    return iconv.encode(this.text(options.eol), options.encoding ?? 'win1251');
  }
}
