// Regenerates the vendored CRD schemas of this folder from the npm registry (see README.md).
//
//   node deployments/validation/src/test/resources/schemas/refresh.mjs
//
// Each @kubernetes-models package below ships, per kind, the openAPIV3Schema of the project's CRD
// as a JavaScript literal (`const schema = {…};`). This script fetches the pinned versions with
// `npm pack` into a temporary folder, takes that literal out, drops the `description` keywords
// (prose only; property names, types, enums and `required` stay) and writes one JSON file per kind.
// It changes nothing else: the tests close the schemas (additionalProperties: false) when loading.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

const SOURCES = [
  { pkg: '@kubernetes-models/keda', version: '0.3.2', group: 'keda.sh', apiVersion: 'v1alpha1',
    kinds: ['ScaledObject', 'TriggerAuthentication'] },
  { pkg: '@kubernetes-models/argo-cd', version: '2.5.0', group: 'argoproj.io', apiVersion: 'v1alpha1',
    kinds: ['Application', 'AppProject'] },
];

// The packages' generator removed every key named "description", which also took away the one
// *property* of that name among these kinds: AppProject spec.description (a string in the CRD of
// argoproj/argo-cd, manifests/crds/appproject-crd.yaml). Put back here.
const PATCHES = {
  AppProject: (schema) => {
    schema.properties.spec.properties.description = { type: 'string' };
  },
};

// Schema keywords whose value is a schema, a list of schemas or a map of schemas.
const SCHEMA = ['items', 'additionalProperties', 'not'];
const SCHEMA_LIST = ['oneOf', 'anyOf', 'allOf'];
const SCHEMA_MAP = ['properties', 'patternProperties'];

function stripDescriptions(schema) {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description') continue;
    if (SCHEMA.includes(key)) out[key] = stripDescriptions(value);
    else if (SCHEMA_LIST.includes(key)) out[key] = value.map(stripDescriptions);
    else if (SCHEMA_MAP.includes(key)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripDescriptions(v)]));
    } else out[key] = value;
  }
  return out;
}

function schemaLiteral(file) {
  const src = fs.readFileSync(file, 'utf8');
  const marker = 'const schema = ';
  const start = src.indexOf(marker);
  if (start < 0) throw new Error(`${file}: no 'const schema = ' literal (a newer package compiles its schemas)`);
  const end = src.indexOf('\n};', start);
  return JSON.parse(src.slice(start + marker.length, end + 2));
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-schemas-'));
try {
  for (const source of SOURCES) {
    const spec = `${source.pkg}@${source.version}`;
    const tgz = execFileSync('npm', ['pack', '--silent', spec], { cwd: work }).toString().trim().split('\n').pop();
    const dir = path.join(work, path.basename(tgz, '.tgz'));
    fs.mkdirSync(dir);
    execFileSync('tar', ['xzf', path.join(work, tgz), '-C', dir]);
    for (const kind of source.kinds) {
      const js = path.join(dir, 'package', source.group, source.apiVersion, `${kind}.js`);
      const schema = {
        $comment: `openAPIV3Schema of ${source.group}/${source.apiVersion} ${kind}, from npm ${spec} ` +
          `(package/${source.group}/${source.apiVersion}/${kind}.js), descriptions removed; ` +
          'regenerate with refresh.mjs, see README.md',
        ...stripDescriptions(schemaLiteral(js)),
      };
      PATCHES[kind]?.(schema);
      const out = path.join(here, `${source.group}_${source.apiVersion}_${kind}.json`);
      fs.writeFileSync(out, JSON.stringify(schema, null, 1) + '\n');
      console.log(`wrote ${path.relative(process.cwd(), out)}`);
    }
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
