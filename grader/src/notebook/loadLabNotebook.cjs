// Loads labNotebook.ts for a notebook cell, as an ES module. A cell cannot: tslab compiles cells to
// CommonJS, where `import()` becomes `require()`, and the kit's modules need ES-module features
// (import.meta.resolve) that a require() through tsx does not give them. A real CommonJS file
// keeps its `import()`. Usage in a cell: `const lab = await require(KIT + '/grader/src/notebook/loadLabNotebook.cjs')();`
'use strict';
module.exports = () => import('./labNotebook.ts');
