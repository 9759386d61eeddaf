// Validates SARIF logs against the SARIF 2.1.0 JSON schema with ajv (JSON Schema 2020-12, every
// format checked by ajv-formats), and proves the validator is live: a copy of each log broken in
// known ways must be rejected.
//
//   node validate_sarif.mjs --node-modules DIR LOG.sarif...
//
// The schema is sarif-2.1.0.json as Microsoft's SARIF SDK ships it inside the npm package
// @microsoft/sarif-multitool-linux (the npm registry has no package with OASIS's own
// sarif-schema-2.1.0.json file; see tests/sarif/CMakeLists.txt). Exit 0 when every log is valid
// and every broken copy is rejected; 1 otherwise, with ajv's errors.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
let nodeModules = null;
const logs = [];
for (let i = 0; i < args.length; ++i) {
  if (args[i] === '--node-modules') nodeModules = args[++i];
  else logs.push(args[i]);
}
if (!nodeModules || logs.length === 0) {
  console.error('usage: node validate_sarif.mjs --node-modules DIR LOG.sarif...');
  process.exit(2);
}

const require = createRequire(path.join(path.resolve(nodeModules), 'noop.js'));
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;
const schemaPath = path.join(path.resolve(nodeModules), '@microsoft/sarif-multitool-linux/sarif-2.1.0.json');
const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
if (!/SARIF\) Version 2\.1\.0 JSON Schema/.test(schema.title || '')) {
  console.error(`${schemaPath}: not the SARIF 2.1.0 schema (title: ${schema.title})`);
  process.exit(1);
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

function errorsOf(doc) {
  return validate(doc) ? [] : validate.errors.map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}

// Ways to break a log that the schema must catch, each applied to a fresh copy.
const breakers = {
  'result level outside the enum': (d) => { d.runs[0].results.push({ message: { text: 'x' }, level: 'fatal' }); },
  'startLine 0': (d) => {
    d.runs[0].results.push({ message: { text: 'x' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'a.ts' }, region: { startLine: 0 } } }] });
  },
  'driver without a name': (d) => { delete d.runs[0].tool.driver.name; },
  'unknown top-level property': (d) => { d.extra = true; },
  'wrong version': (d) => { d.version = '2.0.0'; },
};

let failed = false;
for (const file of logs) {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  const errors = errorsOf(doc);
  const results = doc.runs?.[0]?.results?.length ?? 0;
  if (errors.length) {
    failed = true;
    console.error(`${file}: INVALID against ${schemaPath}:`);
    for (const e of errors) console.error(`  ${e}`);
  } else {
    console.log(`${file}: valid SARIF 2.1.0 (${results} results)`);
  }
  for (const [what, breakIt] of Object.entries(breakers)) {
    const copy = structuredClone(doc);
    breakIt(copy);
    if (errorsOf(copy).length === 0) {
      failed = true;
      console.error(`${file}: a copy with ${what} was accepted: the validator is not checking`);
    }
  }
}
process.exit(failed ? 1 : 0);
