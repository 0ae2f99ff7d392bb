import path from 'node:path';
import { expect } from 'chai';
import ts from 'typescript';

// The API reference (npm run docs) is generated from the doc comments, so a public export without one is a hole in
// it. This walks what src/index.ts exports, and every public member of the exported classes and interfaces.
const ROOT = path.join(__dirname, '..', '..');

function undocumented(): string[] {
  const program = ts.createProgram([path.join(ROOT, 'src', 'index.ts')], { strict: true, experimentalDecorators: true, emitDecoratorMetadata: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS });
  const checker = program.getTypeChecker();
  const index = program.getSourceFile(path.join(ROOT, 'src', 'index.ts'));
  if (!index) throw new Error('src/index.ts not found');
  const moduleSymbol = checker.getSymbolAtLocation(index);
  if (!moduleSymbol) throw new Error('src/index.ts has no module symbol');
  const missing: string[] = [];
  const documented = (symbol: ts.Symbol): boolean => symbol.getDocumentationComment(checker).length > 0;
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (!documented(symbol)) missing.push(exported.name);
    if (!(symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface))) continue;
    for (const member of checker.getDeclaredTypeOfSymbol(symbol).getProperties()) {
      const declaration = member.valueDeclaration ?? member.declarations?.[0];
      if (!declaration || !declaration.getSourceFile().fileName.startsWith(path.join(ROOT, 'src'))) continue;
      const modifiers = ts.getCombinedModifierFlags(declaration);
      const name = ts.getNameOfDeclaration(declaration);
      if (modifiers & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected) || (name !== undefined && ts.isPrivateIdentifier(name))) continue;
      // Members marked @internal are stripped from the published declarations (stripInternal).
      if (ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'internal')) continue;
      // An error class's `override name = 'UniqueViolationError'` is Error.name, documented by the class itself.
      if (ts.isPropertyDeclaration(declaration) && member.name === 'name' && modifiers & ts.ModifierFlags.Override) continue;
      if (!documented(member)) missing.push(`${exported.name}.${member.name}`);
    }
  }
  return missing;
}

// The README promises an example in the comment of every public function and method: a fenced ```ts block or @example.
function withoutExample(): string[] {
  // Both entry points of the package: the library and tux-database/testing.
  const entries = [path.join(ROOT, 'src', 'index.ts'), path.join(ROOT, 'src', 'testing', 'index.ts')];
  const program = ts.createProgram(entries, { strict: true, experimentalDecorators: true, emitDecoratorMetadata: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS });
  const checker = program.getTypeChecker();
  const comment = (declarations: ReadonlyArray<ts.Declaration>): string => declarations.flatMap((d) => ts.getJSDocCommentsAndTags(d).map((c) => c.getText())).join('\n');
  const hasExample = (text: string): boolean => text.includes('```ts') || text.includes('@example');
  const missing = new Set<string>();
  const check = (owner: string, member: ts.Symbol): void => {
    const declarations = member.declarations ?? [];
    const callable = declarations.filter((d) => ts.isMethodDeclaration(d) || ts.isGetAccessorDeclaration(d));
    if (callable.length === 0 || !callable[0]?.getSourceFile().fileName.startsWith(path.join(ROOT, 'src'))) return;
    const first = callable[0];
    if (ts.getCombinedModifierFlags(first) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) return;
    const text = comment(callable);
    if (text.includes('@internal')) return;
    // An inherited method is checked once, on the class that declares it.
    const declaredBy = ts.isClassDeclaration(first.parent) ? (first.parent.name?.text ?? owner) : owner;
    if (!hasExample(text)) missing.add(`${declaredBy}.${member.name}`);
  };
  const exports = entries.flatMap((entry) => {
    const file = program.getSourceFile(entry);
    const moduleSymbol = file && checker.getSymbolAtLocation(file);
    if (!moduleSymbol) throw new Error(`${entry} has no module symbol`);
    return checker.getExportsOfModule(moduleSymbol);
  });
  for (const exported of exports) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declaration = symbol.declarations?.[0];
    if (declaration && ts.isFunctionDeclaration(declaration) && !hasExample(comment(symbol.declarations ?? []))) missing.add(`${exported.name}()`);
    if (!(symbol.flags & ts.SymbolFlags.Class)) continue;
    for (const member of checker.getDeclaredTypeOfSymbol(symbol).getProperties()) check(exported.name, member);
    symbol.exports?.forEach((member) => check(exported.name, member));
  }
  return [...missing].sort();
}

describe('doc comments', function () {
  this.timeout(120_000);

  it('document every public export of the package and every public member of its classes and interfaces', () => {
    expect(undocumented()).to.deep.equal([]);
  });

  it('show an example of every public function and method', () => {
    expect(withoutExample()).to.deep.equal([]);
  });
});
