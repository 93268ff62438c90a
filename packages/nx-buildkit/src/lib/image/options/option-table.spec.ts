import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_OPTION_NAMES, BUILD_OPTIONS, BuildOptionRow, OptionKind } from './option-table';

/**
 * executors/build/schema.json is what Nx reads (types it checks before the executor runs, defaults it fills in,
 * descriptions users see); it is written by hand and checked here against the option table. BuildExecutorSchema needs
 * no such check: it is derived from the table (build-options.ts).
 */
interface SchemaProperty {
  readonly type?: string | string[];
  readonly anyOf?: unknown[];
  readonly additionalProperties?: unknown;
  readonly default?: unknown;
  readonly enum?: unknown;
  readonly description?: string;
}

const schema = JSON.parse(readFileSync(join(__dirname, '../../../executors/build/schema.json'), 'utf8')) as { properties: Record<string, SchemaProperty>; additionalProperties: unknown };
const rows: [string, BuildOptionRow][] = BUILD_OPTION_NAMES.map((name) => [name, BUILD_OPTIONS[name]]);

/**
 * What schema.json says for each kind. Strings and lists take a number too and booleans a string ("--target=2",
 * "--push=yes"): Nx would otherwise crash a whole batch on a mismatch with an unhandled SchemaError, so normalizeOptions
 * checks them with the option named (see withCommandLineTypes).
 */
const SCHEMA_OF_KIND: Record<OptionKind, SchemaProperty> = {
  string: { type: ['string', 'number'] },
  boolean: { type: ['boolean', 'string'] },
  list: { anyOf: [{ type: 'array', items: { type: 'string' } }, { type: 'string' }, { type: 'number' }] },
  record: { type: 'object', additionalProperties: { type: 'string' } },
};

describe('executors/build/schema.json against the option table', () => {
  it('has a property for every option and no other', () => {
    expect(Object.keys(schema.properties).sort()).toEqual([...BUILD_OPTION_NAMES].sort());
  });

  it('lets unknown options through to normalizeOptions, which names them (Nx would crash batch mode on them)', () => {
    expect(schema.additionalProperties).toBe(true);
  });

  it.each(rows)('types "%s" as its kind', (name, row) => {
    const { type, anyOf, additionalProperties } = schema.properties[name];
    expect({ type, anyOf, additionalProperties }).toEqual({ type: undefined, anyOf: undefined, additionalProperties: undefined, ...SCHEMA_OF_KIND[row.kind] });
  });

  it.each(rows)('gives "%s" the default of the table', (name, row) => {
    const property = schema.properties[name];
    if (Array.isArray(row.default)) {
      // Nx would fill a list default into every target's options; it is said in the description instead.
      expect(property.default).toBeUndefined();
      expect(property.description).toContain(`Default: ${JSON.stringify(row.default)}.`);
    } else {
      expect(property.default).toEqual(row.default);
    }
    if (row.default !== undefined) expect(row.derivedDefault).toBeUndefined();
  });

  it.each(rows)('lists the values "%s" takes when it takes only some', (name, row) => {
    const { description = '', enum: schemaEnum } = schema.properties[name];
    // The type takes a number too (see above), so the values are said, not an `enum` Nx would check first.
    expect(schemaEnum).toBeUndefined();
    const listed = /One of: ([^.]*)\./.exec(description)?.[1];
    expect(listed).toEqual(row.enum?.join(', '));
  });

  it('has a description for every option', () => {
    for (const name of BUILD_OPTION_NAMES) expect(schema.properties[name].description).toMatch(/\S/);
  });
});

describe('the option table', () => {
  it.each(rows)('says why "%s" is hashed or not', (_name, row) => {
    expect(row.why).toMatch(/\S/);
    expect(row.validation).toMatch(/\S/);
  });
});
