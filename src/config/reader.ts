/** Reading values out of a parsed TOML table, with errors that name the file, key and expected type. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export type Table = Record<string, unknown>;

export function typeName(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v === null || v === undefined) return 'nothing';
  if (typeof v === 'number') return Number.isInteger(v) ? `an integer (${v})` : `a float (${v})`;
  if (typeof v === 'string') return `a string (${JSON.stringify(v)})`;
  if (typeof v === 'boolean') return `a boolean (${v})`;
  return isTable(v) ? 'a table' : 'a date';
}

export function isTable(v: unknown): v is Table {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === null || proto === Object.prototype;
}

export class Reader {
  constructor(private readonly where: string, private readonly sections: Record<string, readonly string[]>) {}

  fail(msg: string): never {
    throw new ConfigError(`${this.where}: ${msg}`);
  }

  checkKeys(table: Table, known: readonly string[], section: string | null): void {
    for (const key of Object.keys(table)) {
      if (known.includes(key)) continue;
      const name = section === null ? key : `${section}.${key}`;
      const where = section === null ? 'at the top level' : `in [${section}]`;
      this.fail(`unknown key "${name}" (known keys ${where}: ${known.join(', ')})`);
    }
  }

  string(table: Table, key: string, name: string, expected = 'a string'): string | undefined {
    const v = table[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') this.fail(`${name} must be ${expected}, not ${typeName(v)}`);
    return v;
  }

  table(root: Table, key: string): Table | undefined {
    const v = root[key];
    if (v === undefined) return undefined;
    if (!isTable(v)) this.fail(`${key} must be a table ([${key}]), not ${typeName(v)}`);
    this.checkKeys(v, this.sections[key] ?? [], key);
    return v;
  }

  positiveInteger(table: Table, key: string, name: string): number | undefined {
    const v = table[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) this.fail(`${name} must be a positive integer, not ${typeName(v)}`);
    return v;
  }

  nonNegativeInteger(table: Table, key: string, name: string): number | undefined {
    const v = table[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) this.fail(`${name} must be a whole number of 0 or more, not ${typeName(v)}`);
    return v;
  }

  stringArray(table: Table, key: string, name: string): string[] | undefined {
    const v = table[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) this.fail(`${name} must be an array of strings, not ${typeName(v)}`);
    return v.map((item: unknown, i) => {
      if (typeof item !== 'string') this.fail(`${name}[${i}] must be a string, not ${typeName(item)}`);
      return item;
    });
  }
}
