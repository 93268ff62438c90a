import { addPluginEntryToText } from './nx-json-text';

describe('addPluginEntryToText', () => {
  it('appends to a multi-line plugins array, indented as its entries, touching nothing else', () => {
    const text = '{\n    "$schema": "./node_modules/nx/schemas/nx-schema.json",\n    "namedInputs": { "default": ["{projectRoot}/**/*"] },\n    "plugins": [\n        {\n            "plugin": "@nx/js/typescript",\n            "options": { "typecheck": { "targetName": "typecheck" } }\n        }\n    ],\n    "nxCloudId": "x"\n}\n';
    expect(addPluginEntryToText(text, 'nx-buildkit')).toBe(text.replace('        }\n    ],', '        },\n        "nx-buildkit"\n    ],'));
  });

  it('writes an object entry with the file\'s indent unit', () => {
    const text = '{\n\t"plugins": [\n\t\t"@nx/js"\n\t]\n}\n';
    expect(addPluginEntryToText(text, { plugin: 'nx-buildkit', options: { targetName: 'docker:build' } })).toBe(
      '{\n\t"plugins": [\n\t\t"@nx/js",\n\t\t{\n\t\t\t"plugin": "nx-buildkit",\n\t\t\t"options": {\n\t\t\t\t"targetName": "docker:build"\n\t\t\t}\n\t\t}\n\t]\n}\n',
    );
  });

  it('keeps an inline array inline, and fills an empty one', () => {
    expect(addPluginEntryToText('{ "plugins": ["@nx/js"], "x": 1 }', 'nx-buildkit')).toBe('{ "plugins": ["@nx/js", "nx-buildkit"], "x": 1 }');
    expect(addPluginEntryToText('{ "plugins": [] }', 'nx-buildkit')).toBe('{ "plugins": ["nx-buildkit"] }');
    expect(addPluginEntryToText('{\n  "plugins": [\n  ]\n}', 'nx-buildkit')).toBe('{\n  "plugins": [\n    "nx-buildkit"\n  ]\n}');
  });

  it('adds a plugins member after the last one when there is none, as the file indents keys, keeping CRLF', () => {
    const text = '{\r\n   "npmScope": "acme",\r\n   "targetDefaults": {\r\n      "build": { "dependsOn": ["^build"] }\r\n   }\r\n}\r\n';
    expect(addPluginEntryToText(text, 'nx-buildkit')).toBe(text.replace('   }\r\n}', '   },\r\n   "plugins": ["nx-buildkit"]\r\n}'));
    expect(addPluginEntryToText('{}\n', 'nx-buildkit')).toBe('{\n  "plugins": ["nx-buildkit"]\n}\n');
  });

  it('skips strings and comments that look like structure, and a nested "plugins" key', () => {
    const text = '{\n  // "plugins": [\n  "a": "} ] \\" {",\n  "release": { "plugins": [] },\n  "plugins": ["x"] /* ] */\n}\n';
    expect(addPluginEntryToText(text, 'nx-buildkit')).toBe(text.replace('"plugins": ["x"]', '"plugins": ["x", "nx-buildkit"]'));
  });

  it('gives up on text that is not a JSON object', () => {
    expect(addPluginEntryToText('[1]', 'x')).toBeUndefined();
    expect(addPluginEntryToText('{ "a": "unterminated }', 'x')).toBeUndefined();
  });
});
