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

describe('doc comments', function () {
  this.timeout(120_000);

  it('document every public export of the package and every public member of its classes and interfaces', () => {
    expect(undocumented()).to.deep.equal([]);
  });
});
