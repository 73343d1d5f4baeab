// A structural validator for the part of SARIF 2.1.0 that `nsp check --format sarif` writes, taken
// from the OASIS schema (sarif-schema-2.1.0.json): for each object, its required properties, the
// properties the schema defines (it sets additionalProperties: false on the log), the enums and
// the integer minimums. On top of the schema, GitHub code scanning's own upload requirements
// ("SARIF support for code scanning"): a driver name, rules with ids, results with a ruleId that
// names a rule, message text, and a physical location with an artifact URI and a start line.
//
// It returns every problem found (an empty list means valid), so a failing test names them all.

type Json = unknown;

interface ObjectSpec {
  required?: string[];
  /** Properties the schema defines for the object; any other property is a problem. */
  known: string[];
}

const SPECS: Record<string, ObjectSpec> = {
  log: { required: ['version', 'runs'], known: ['$schema', 'version', 'runs', 'inlineExternalProperties', 'properties'] },
  run: {
    required: ['tool'],
    known: [
      'tool', 'invocations', 'conversion', 'language', 'versionControlProvenance', 'originalUriBaseIds', 'artifacts',
      'logicalLocations', 'graphs', 'results', 'automationDetails', 'runAggregates', 'baselineGuid', 'redactionTokens',
      'defaultEncoding', 'defaultSourceLanguage', 'newlineSequences', 'columnKind', 'externalPropertyFileReferences',
      'threadFlowLocations', 'taxonomies', 'addresses', 'translations', 'policies', 'webRequests', 'webResponses',
      'specialLocations', 'properties',
    ],
  },
  tool: { required: ['driver'], known: ['driver', 'extensions', 'properties'] },
  toolComponent: {
    required: ['name'],
    known: [
      'guid', 'name', 'organization', 'product', 'productSuite', 'shortDescription', 'fullDescription', 'fullName',
      'version', 'semanticVersion', 'dottedQuadFileVersion', 'releaseDateUtc', 'downloadUri', 'informationUri',
      'globalMessageStrings', 'notifications', 'rules', 'taxa', 'locations', 'language', 'contents', 'isComprehensive',
      'localizedDataSemanticVersion', 'minimumRequiredLocalizedDataSemanticVersion', 'associatedComponent',
      'translationMetadata', 'supportedTaxonomies', 'properties',
    ],
  },
  reportingDescriptor: {
    required: ['id'],
    known: [
      'id', 'deprecatedIds', 'guid', 'deprecatedGuids', 'name', 'deprecatedNames', 'shortDescription', 'fullDescription',
      'messageStrings', 'defaultConfiguration', 'helpUri', 'help', 'relationships', 'properties',
    ],
  },
  multiformatMessageString: { required: ['text'], known: ['text', 'markdown', 'properties'] },
  reportingConfiguration: { known: ['enabled', 'level', 'rank', 'parameters', 'properties'] },
  result: {
    required: ['message'],
    known: [
      'ruleId', 'ruleIndex', 'rule', 'kind', 'level', 'message', 'analysisTarget', 'locations', 'guid', 'correlationGuid',
      'occurrenceCount', 'partialFingerprints', 'fingerprints', 'stacks', 'codeFlows', 'graphs', 'graphTraversals',
      'relatedLocations', 'suppressions', 'baselineState', 'rank', 'attachments', 'hostedViewerUri', 'workItemUris',
      'provenance', 'fixes', 'taxa', 'webRequest', 'webResponse', 'properties',
    ],
  },
  message: { known: ['text', 'markdown', 'id', 'arguments', 'properties'] },
  location: { known: ['id', 'physicalLocation', 'logicalLocations', 'message', 'annotations', 'relationships', 'properties'] },
  physicalLocation: { known: ['address', 'artifactLocation', 'region', 'contextRegion', 'properties'] },
  artifactLocation: { known: ['uri', 'uriBaseId', 'index', 'description', 'properties'] },
  region: {
    known: [
      'startLine', 'startColumn', 'endLine', 'endColumn', 'charOffset', 'charLength', 'byteOffset', 'byteLength',
      'snippet', 'message', 'sourceLanguage', 'properties',
    ],
  },
};

const LEVELS = ['none', 'note', 'warning', 'error'];
const COLUMN_KINDS = ['utf16CodeUnits', 'unicodeCodePoints'];

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function sarifProblems(log: Json): string[] {
  const problems: string[] = [];
  const obj = (v: Json, spec: keyof typeof SPECS, at: string): Record<string, Json> | undefined => {
    if (!isObject(v)) {
      problems.push(`${at}: expected an object`);
      return undefined;
    }
    const s = SPECS[spec];
    for (const r of s.required ?? []) if (!(r in v)) problems.push(`${at}: missing required '${r}'`);
    for (const k of Object.keys(v)) if (!s.known.includes(k)) problems.push(`${at}: '${k}' is not a ${spec} property`);
    return v;
  };
  const str = (v: Json, at: string) => typeof v === 'string' || problems.push(`${at}: expected a string`);
  const int = (v: Json, min: number, at: string) =>
    (Number.isInteger(v) && (v as number) >= min) || problems.push(`${at}: expected an integer >= ${min}, got ${JSON.stringify(v)}`);
  const arr = (v: Json, at: string): Json[] => {
    if (Array.isArray(v)) return v;
    problems.push(`${at}: expected an array`);
    return [];
  };
  const mmString = (v: Json, at: string) => {
    const m = obj(v, 'multiformatMessageString', at);
    if (m) str(m.text, `${at}.text`);
  };
  const region = (v: Json, at: string) => {
    const r = obj(v, 'region', at);
    if (!r) return;
    int(r.startLine, 1, `${at}.startLine`); // GitHub requires startLine
    if ('startColumn' in r) int(r.startColumn, 1, `${at}.startColumn`);
    if ('endLine' in r) int(r.endLine, 1, `${at}.endLine`);
    if ('endColumn' in r) int(r.endColumn, 1, `${at}.endColumn`);
    if (typeof r.endLine === 'number' && typeof r.startLine === 'number' && r.endLine < r.startLine) {
      problems.push(`${at}: endLine before startLine`);
    }
    if (r.endLine === r.startLine && typeof r.endColumn === 'number' && typeof r.startColumn === 'number' && r.endColumn < r.startColumn) {
      problems.push(`${at}: endColumn before startColumn on one line`);
    }
  };
  const location = (v: Json, at: string) => {
    const l = obj(v, 'location', at);
    if (!l) return;
    if ('id' in l) int(l.id, 0, `${at}.id`);
    if ('message' in l) {
      const m = obj(l.message, 'message', `${at}.message`);
      if (m) str(m.text, `${at}.message.text`);
    }
    const p = obj(l.physicalLocation, 'physicalLocation', `${at}.physicalLocation`);
    if (!p) return;
    const a = obj(p.artifactLocation, 'artifactLocation', `${at}.physicalLocation.artifactLocation`);
    if (a) {
      str(a.uri, `${at}.physicalLocation.artifactLocation.uri`);
      if (typeof a.uri === 'string') {
        try {
          new URL(a.uri, 'file:///root/');
        } catch {
          problems.push(`${at}: artifact uri '${a.uri}' is not a URI reference`);
        }
        if (/[\s\\]/.test(a.uri)) problems.push(`${at}: artifact uri '${a.uri}' has unescaped characters`);
      }
      if ('uriBaseId' in a) str(a.uriBaseId, `${at}.physicalLocation.artifactLocation.uriBaseId`);
    }
    region(p.region, `${at}.physicalLocation.region`);
  };

  const l = obj(log, 'log', '$');
  if (!l) return problems;
  if (l.version !== '2.1.0') problems.push(`$.version: expected "2.1.0", got ${JSON.stringify(l.version)}`);
  if ('$schema' in l) str(l.$schema, '$.$schema');
  const runs = arr(l.runs, '$.runs');
  if (runs.length === 0) problems.push('$.runs: GitHub needs at least one run');
  runs.forEach((runJson, ri) => {
    const at = `$.runs[${ri}]`;
    const run = obj(runJson, 'run', at);
    if (!run) return;
    if ('columnKind' in run && !COLUMN_KINDS.includes(run.columnKind as string)) problems.push(`${at}.columnKind: not an allowed value`);
    const tool = obj(run.tool, 'tool', `${at}.tool`);
    const driver = tool && obj(tool.driver, 'toolComponent', `${at}.tool.driver`);
    const ruleIds: string[] = [];
    if (driver) {
      str(driver.name, `${at}.tool.driver.name`);
      arr(driver.rules ?? [], `${at}.tool.driver.rules`).forEach((ruleJson, i) => {
        const rat = `${at}.tool.driver.rules[${i}]`;
        const rule = obj(ruleJson, 'reportingDescriptor', rat);
        if (!rule) return;
        str(rule.id, `${rat}.id`);
        if (ruleIds.includes(rule.id as string)) problems.push(`${rat}: duplicate rule id ${String(rule.id)}`);
        ruleIds.push(rule.id as string);
        if ('shortDescription' in rule) mmString(rule.shortDescription, `${rat}.shortDescription`);
        if ('fullDescription' in rule) mmString(rule.fullDescription, `${rat}.fullDescription`);
        if ('defaultConfiguration' in rule) {
          const c = obj(rule.defaultConfiguration, 'reportingConfiguration', `${rat}.defaultConfiguration`);
          if (c && 'level' in c && !LEVELS.includes(c.level as string)) problems.push(`${rat}.defaultConfiguration.level: not an allowed value`);
        }
      });
    }
    arr(run.results ?? [], `${at}.results`).forEach((resJson, i) => {
      const rat = `${at}.results[${i}]`;
      const res = obj(resJson, 'result', rat);
      if (!res) return;
      const m = obj(res.message, 'message', `${rat}.message`);
      if (m) str(m.text, `${rat}.message.text`);
      if ('level' in res && !LEVELS.includes(res.level as string)) problems.push(`${rat}.level: not an allowed value`);
      str(res.ruleId, `${rat}.ruleId`);
      if (!ruleIds.includes(res.ruleId as string)) problems.push(`${rat}.ruleId: ${String(res.ruleId)} is not among the driver's rules`);
      if ('ruleIndex' in res) {
        int(res.ruleIndex, 0, `${rat}.ruleIndex`);
        if (ruleIds[res.ruleIndex as number] !== res.ruleId) problems.push(`${rat}.ruleIndex: does not point at rule ${String(res.ruleId)}`);
      }
      const locs = arr(res.locations, `${rat}.locations`);
      if (locs.length === 0) problems.push(`${rat}.locations: GitHub needs a location`);
      locs.forEach((loc, li) => location(loc, `${rat}.locations[${li}]`));
      arr(res.relatedLocations ?? [], `${rat}.relatedLocations`).forEach((loc, li) => location(loc, `${rat}.relatedLocations[${li}]`));
    });
  });
  return problems;
}
