import { readdirSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { join, relative } from 'node:path';
import ts from 'typescript';

/**
 * Every problem `code` a service's source can answer is listed in its contract
 * (openapi/<service>.yaml, components.schemas.Problem.x-problem-codes), so clients and the web app's
 * message table know it. The source is read with the TypeScript checker, not text search: a code is
 * a literal passed to AppError, problemBody or any function that hands its parameter on to them
 * (notFound, forbidden's default, refusalError, settlement's refuse…), or a literal union type there
 * (the ledger's TransferErrorCode, RefusalCode). An argument whose codes cannot be told that way fails
 * this test until it is listed in DYNAMIC_CODES with the codes it can carry. (A problem document
 * written by hand, without problemBody, would go unseen; there is none.)
 */

const ROOT = join(__dirname, '..', '..');
const SERVICES = ['ledger', 'registry', 'certificates', 'settlement', 'gateway'] as const;
type Owner = (typeof SERVICES)[number] | 'service-kit';
const KIT_DIR = 'packages/service-kit/src';

/** service-kit's codes every service can answer, except where the service lacks what produces one. */
const KIT_CODES_NOT_ANSWERED: Partial<Record<Owner, Record<string, string>>> = {};

/**
 * Code arguments the checker can only type as `string`: another service's problem passed on. Keyed
 * by file and the argument's text; each lists the codes it can carry and why.
 */
const DYNAMIC_CODES: Record<string, { codes: string[]; why: string }> = {
  'services/certificates/src/clients/registry-client.ts: problem?.code': {
    codes: ['service_not_found', 'cost_not_found', 'unknown_coefficient', 'validation_failed'],
    why: "the registry's refusal of a cost lookup, passed on",
  },
  'services/certificates/src/domain/refused-requests.ts: code': {
    codes: ['certificate_not_active', 'provider_suspended', 'provider_excluded', 'provider_not_admitted', 'no_free_capacity', 'line_fully_booked', 'programme_already_certified'],
    why: 'a refusal kept against a booking or certificate id, answered again as it was first given',
  },
};

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(ROOT, dir, f));
}

function ownerOf(fileName: string): Owner | undefined {
  const path = relative(ROOT, fileName);
  if (path.startsWith(`${KIT_DIR}/`)) return 'service-kit';
  return SERVICES.find((s) => path.startsWith(`services/${s}/src/`));
}

type FunctionLike = ts.SignatureDeclaration;

interface Scan {
  codes: Map<Owner, Map<string, string>>;
  unresolved: string[];
  dynamicSitesSeen: Set<string>;
}

function scanSources(): Scan {
  const roots = [...SERVICES.flatMap((s) => tsFiles(`services/${s}/src`)), ...tsFiles(KIT_DIR)];
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(join(ROOT, 'tsconfig.base.json'), ts.sys.readFile).config, ts.sys, ROOT);
  const program = ts.createProgram(roots, { ...config.options, noEmit: true });
  const checker = program.getTypeChecker();
  const scanned = program.getSourceFiles().filter((sf) => ownerOf(sf.fileName) !== undefined);

  const scan: Scan = { codes: new Map(), unresolved: [], dynamicSitesSeen: new Set() };
  const where = (node: ts.Node) => {
    const sf = node.getSourceFile();
    return `${relative(ROOT, sf.fileName)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  };
  const add = (owner: Owner, code: string, site: ts.Node) => {
    const codes = scan.codes.get(owner) ?? new Map<string, string>();
    if (!codes.has(code)) codes.set(code, where(site));
    scan.codes.set(owner, codes);
  };

  /** The base class a class extends, as written after `extends`. */
  const baseOf = (node: ts.ClassLikeDeclaration | undefined) =>
    node?.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;

  /** What a call or `new` calls: `super(…)` calls the base class's constructor. */
  const calleeOf = (call: ts.CallExpression | ts.NewExpression): ts.Expression | undefined =>
    call.expression.kind === ts.SyntaxKind.SuperKeyword ? baseOf(ts.findAncestor(call, ts.isClassLike)) : call.expression;

  // Every call and `new` in the scanned sources, by the name it calls, so a sink's callers are found by name first.
  const callsByName = new Map<string, (ts.CallExpression | ts.NewExpression)[]>();
  for (const sf of scanned) {
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        const callee = calleeOf(node);
        const name = callee && ts.isIdentifier(callee) ? callee.text : callee && ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
        if (name) callsByName.set(name, [...(callsByName.get(name) ?? []), node]);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }

  const declarationOf = (node: ts.Expression): FunctionLike | undefined => {
    let symbol = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(node) ? node.name : node);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    const declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    if (!declaration) return undefined;
    if (ts.isClassLike(declaration)) {
      // A subclass without a constructor of its own is constructed by its base class's.
      const base = baseOf(declaration);
      return declaration.members.find(ts.isConstructorDeclaration) ?? (base ? declarationOf(base) : undefined);
    }
    if (ts.isVariableDeclaration(declaration)) {
      const init = declaration.initializer;
      return init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? init : undefined;
    }
    return ts.isFunctionLike(declaration) ? declaration : undefined;
  };

  const nameOf = (fn: FunctionLike): string | undefined => {
    if (ts.isConstructorDeclaration(fn)) return fn.parent.name?.text;
    if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent)) {
      return ts.isIdentifier(fn.parent.name) ? fn.parent.name.text : undefined;
    }
    return fn.name && ts.isIdentifier(fn.name) ? fn.name.text : undefined;
  };

  const sinks = new Map<FunctionLike, Set<number>>();
  const pending: [FunctionLike, number][] = [];
  const addSink = (fn: FunctionLike, index: number) => {
    const indexes = sinks.get(fn) ?? new Set<number>();
    if (indexes.has(index)) return;
    indexes.add(index);
    sinks.set(fn, indexes);
    pending.push([fn, index]);
  };

  const isAppError = (type: ts.Type) => type.getSymbol()?.getName() === 'AppError';

  /** The codes an expression's type allows when it is a string literal or a union of them (undefined aside). */
  const literalCodes = (expr: ts.Expression): string[] | undefined => {
    const type = checker.getTypeAtLocation(expr);
    const members = (type.isUnion() ? type.types : [type]).filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
    return members.length && members.every((t) => t.isStringLiteral()) ? members.map((t) => (t as ts.StringLiteralType).value) : undefined;
  };

  /** Adds the codes an expression can evaluate to; a parameter makes its function a sink in turn. */
  const evaluate = (expr: ts.Expression, owner: Owner, seen = new Set<ts.Node>()): void => {
    if (seen.has(expr)) return;
    seen.add(expr);
    if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return add(owner, expr.text, expr);
    if (ts.isParenthesizedExpression(expr) || ts.isNonNullExpression(expr) || ts.isSatisfiesExpression(expr)) return evaluate(expr.expression, owner, seen);
    // A cast to a union of codes (`row.refusal_code as RefusalCode`) is taken at its word; any other cast is looked through.
    if (ts.isAsExpression(expr) && !literalCodes(expr)) return evaluate(expr.expression, owner, seen);
    if (ts.isConditionalExpression(expr)) {
      evaluate(expr.whenTrue, owner, seen);
      return evaluate(expr.whenFalse, owner, seen);
    }
    if (
      ts.isBinaryExpression(expr) &&
      (expr.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || expr.operatorToken.kind === ts.SyntaxKind.BarBarToken)
    ) {
      evaluate(expr.left, owner, seen);
      return evaluate(expr.right, owner, seen);
    }
    if (ts.isIdentifier(expr)) {
      const declaration = checker.getSymbolAtLocation(expr)?.valueDeclaration;
      if (declaration && ts.isParameter(declaration) && ts.isFunctionLike(declaration.parent)) {
        return addSink(declaration.parent, declaration.parent.parameters.indexOf(declaration));
      }
      if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) {
        return evaluate(declaration.initializer, owner, seen);
      }
    }
    // An AppError's code passed on (the problem handler answering what was thrown) was counted where it was made.
    if ((ts.isPropertyAccessExpression(expr) || ts.isPropertyAccessChain(expr)) && expr.name.text === 'code' && isAppError(checker.getTypeAtLocation(expr.expression))) {
      return;
    }
    const codes = literalCodes(expr);
    if (codes) {
      for (const code of codes) add(owner, code, expr);
      return;
    }
    const key = `${relative(ROOT, expr.getSourceFile().fileName)}: ${expr.getText()}`;
    const dynamic = DYNAMIC_CODES[key];
    if (!dynamic) {
      scan.unresolved.push(`${where(expr)} ${expr.getText()} (type ${checker.typeToString(checker.getTypeAtLocation(expr))})`);
      return;
    }
    scan.dynamicSitesSeen.add(key);
    for (const code of dynamic.codes) add(owner, code, expr);
  };

  // The two places a code enters a problem document: AppError's constructor and problemBody.
  for (const sf of scanned.filter((f) => relative(ROOT, f.fileName).startsWith(KIT_DIR))) {
    ts.forEachChild(sf, function seed(node) {
      if (ts.isClassDeclaration(node) && node.name?.text === 'AppError') {
        const ctor = node.members.find(ts.isConstructorDeclaration)!;
        addSink(ctor, ctor.parameters.findIndex((p) => p.name.getText() === 'code'));
      }
      if (ts.isFunctionDeclaration(node) && node.name?.text === 'problemBody') {
        addSink(node, node.parameters.findIndex((p) => p.name.getText() === 'code'));
      }
      ts.forEachChild(node, seed);
    });
  }
  if (sinks.size !== 2) throw new Error('service-kit no longer has AppError(kind, code, …) and problemBody(status, code, …); teach this scan where codes enter now.');

  while (pending.length) {
    const [fn, index] = pending.shift()!;
    const name = nameOf(fn);
    if (!name) throw new Error(`A function at ${where(fn)} hands a problem code on but has no name to find its callers by.`);
    // `new Sub(…)` of a subclass without a constructor of its own runs the base's under another name.
    const candidates = ts.isConstructorDeclaration(fn) ? [...callsByName.values()].flat().filter(ts.isNewExpression) : [];
    for (const call of new Set([...(callsByName.get(name) ?? []), ...candidates])) {
      const callee = calleeOf(call);
      if (!callee || declarationOf(callee) !== fn) continue;
      const owner = ownerOf(call.getSourceFile().fileName)!;
      const arg = call.arguments?.[index];
      if (arg && ts.isSpreadElement(arg)) scan.unresolved.push(`${where(arg)} a spread argument`);
      else if (arg) evaluate(arg, owner);
      else if (fn.parameters[index]?.initializer) evaluate(fn.parameters[index]!.initializer!, owner);
    }
  }
  return scan;
}


function contractCodes(service: string): Record<string, string> {
  const contract = parseYaml(readFileSync(join(ROOT, 'openapi', `${service}.yaml`), 'utf8')) as {
    components: { schemas: { Problem: { 'x-problem-codes'?: Record<string, string> } } };
  };
  return contract.components.schemas.Problem['x-problem-codes'] ?? {};
}

describe('Problem codes in the contracts', () => {
  let scan: Scan;
  const contracts = new Map<string, Record<string, string>>();

  beforeAll(() => {
    scan = scanSources();
    for (const service of SERVICES) contracts.set(service, contractCodes(service));
  }, 180_000);

  it('When the sources are scanned, then every code argument resolves to known codes, and service-kit answers its shared codes', () => {
    expect(scan.unresolved).toEqual([]);
    expect(Object.keys(DYNAMIC_CODES).filter((key) => !scan.dynamicSitesSeen.has(key))).toEqual([]);
    expect([...(scan.codes.get('service-kit')?.keys() ?? [])]).toEqual(
      expect.arrayContaining(['validation_failed', 'unauthenticated', 'invalid_token', 'forbidden', 'route_not_found', 'internal_error', 'already_exists']),
    );
  });

  it.each(SERVICES)('When a service can answer a problem code, then its contract lists it in x-problem-codes: %s', (service) => {
    const listed = contracts.get(service)!;
    const exempt = KIT_CODES_NOT_ANSWERED[service] ?? {};
    const answered = new Map([...[...(scan.codes.get('service-kit') ?? [])].filter(([code]) => !(code in exempt)), ...(scan.codes.get(service) ?? [])]);
    const missing = [...answered].filter(([code]) => !(code in listed)).map(([code, site]) => `${code} (${site})`);
    expect(missing).toEqual([]);
  });

  it.each(SERVICES)('When a contract lists a problem code, then its service can answer it and the contract says when: %s', (service) => {
    const answered = new Set([...(scan.codes.get('service-kit')?.keys() ?? []), ...(scan.codes.get(service)?.keys() ?? [])]);
    const exempt = KIT_CODES_NOT_ANSWERED[service] ?? {};
    const listed = Object.entries(contracts.get(service)!);
    expect(listed.filter(([code]) => !answered.has(code) || code in exempt).map(([code]) => code)).toEqual([]);
    expect(listed.filter(([, when]) => typeof when !== 'string' || !when.trim()).map(([code]) => code)).toEqual([]);
  });
});
