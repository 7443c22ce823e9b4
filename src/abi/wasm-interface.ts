/**
 * Reads the linking interface of a Wasm binary: its imports and exports with
 * their function signatures, and its memories.
 *
 * Why a small reader of its own rather than binaryen (which ships with
 * assemblyscript): the check needs exactly the type, import, function, memory
 * and export sections, and needs them faithfully, including the parts binaryen
 * does not surface or refuses to load. binaryen's `readBinary` builds IR for
 * every function body, must be told which feature proposals to accept (a
 * memory64 or GC module is rejected instead of reported), and reports a
 * malformed binary by aborting with a fatal error rather than a catchable one,
 * which the CLI needs to turn into exit code 2. Walking five sections and
 * skipping the rest is about 200 lines, reads the import kinds (function,
 * table, memory, global, tag) and limit flags (memory64, shared) directly, and
 * costs microseconds. binaryen stays useful in tests, as an independent way
 * to build the binaries this reader is checked against.
 */

/** A Wasm value type as the spec's text format names it. */
export type ValueType = "i32" | "i64" | "f32" | "f64" | "v128" | "funcref" | "externref" | (string & {});

export interface FunctionSignature {
  params: ValueType[];
  results: ValueType[];
}

export type ExternalKind = "function" | "table" | "memory" | "global" | "tag";

export interface MemoryLimits {
  min: bigint;
  max?: bigint;
  is64: boolean;
  shared: boolean;
}

export interface WasmImport {
  module: string;
  name: string;
  kind: ExternalKind;
  /** For function imports. */
  signature?: FunctionSignature;
  /** For memory imports. */
  memory?: MemoryLimits;
  /** For global imports. */
  global?: { type: ValueType; mutable: boolean };
}

export interface WasmExport {
  name: string;
  kind: ExternalKind;
  index: number;
  /** For function exports. */
  signature?: FunctionSignature;
  /** For memory exports. */
  memory?: MemoryLimits;
}

export interface WasmInterface {
  imports: WasmImport[];
  exports: WasmExport[];
  /** Every memory of the module, imported ones first (the Wasm index space order). */
  memories: MemoryLimits[];
}

/** The bytes are not a Wasm binary, or one this reader cannot follow. */
export class WasmFormatError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} (at byte ${offset})`);
    this.name = "WasmFormatError";
  }
}

const SECTION = { type: 1, import: 2, function: 3, memory: 5, export: 7 } as const;
const KINDS: readonly ExternalKind[] = ["function", "table", "memory", "global", "tag"];
const NUMERIC_TYPES: Readonly<Record<number, ValueType>> = {
  0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x7b: "v128",
};
const ABSTRACT_HEAP_TYPES: Readonly<Record<number, string>> = {
  0x70: "func", 0x6f: "extern", 0x6e: "any", 0x6d: "eq", 0x6c: "i31", 0x6b: "struct", 0x6a: "array",
  0x69: "exn", 0x71: "none", 0x72: "noextern", 0x73: "nofunc", 0x74: "noexn",
};

class ByteCursor {
  offset = 0;
  constructor(private readonly bytes: Uint8Array, private readonly end = bytes.byteLength) {}

  get done(): boolean {
    return this.offset >= this.end;
  }

  byte(): number {
    if (this.offset >= this.end) throw new WasmFormatError("unexpected end of data", this.offset);
    return this.bytes[this.offset++]!;
  }

  /** Unsigned LEB128 that fits a JavaScript number exactly (indexes, counts, sizes). */
  u32(): number {
    const value = this.uleb();
    if (value > 0xffffffffn) throw new WasmFormatError("u32 out of range", this.offset);
    return Number(value);
  }

  uleb(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 63n) throw new WasmFormatError("LEB128 too long", this.offset);
    }
  }

  /** Signed LEB128 (a heap type index or one of the negative abstract heap type codes). */
  sleb(): bigint {
    let result = 0n;
    let shift = 0n;
    let b: number;
    do {
      b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
    } while (b & 0x80);
    if (b & 0x40) result -= 1n << shift;
    return result;
  }

  name(): string {
    const length = this.u32();
    const start = this.offset;
    this.skip(length);
    return new TextDecoder("utf-8", { fatal: false }).decode(this.bytes.subarray(start, start + length));
  }

  skip(length: number): void {
    if (this.offset + length > this.end) throw new WasmFormatError("section or name runs past the end", this.offset);
    this.offset += length;
  }

  sub(length: number): ByteCursor {
    if (this.offset + length > this.end) throw new WasmFormatError("section runs past the end of the module", this.offset);
    const cursor = new ByteCursor(this.bytes, this.offset + length);
    cursor.offset = this.offset;
    this.offset += length;
    return cursor;
  }
}

function readHeapType(cursor: ByteCursor): string {
  const code = cursor.sleb();
  if (code >= 0n) return `$${code}`;
  const abstract = ABSTRACT_HEAP_TYPES[Number(code & 0x7fn)];
  if (!abstract) throw new WasmFormatError(`unknown heap type ${code}`, cursor.offset);
  return abstract;
}

function readValueType(cursor: ByteCursor): ValueType {
  const code = cursor.byte();
  const numeric = NUMERIC_TYPES[code];
  if (numeric) return numeric;
  if (code === 0x63 || code === 0x64) {
    const heap = readHeapType(cursor);
    return code === 0x63 ? `(ref null ${heap})` : `(ref ${heap})`;
  }
  const abstract = ABSTRACT_HEAP_TYPES[code];
  if (abstract) return `${abstract}ref`;
  throw new WasmFormatError(`unknown value type 0x${code.toString(16)}`, cursor.offset - 1);
}

function readLimits(cursor: ByteCursor): MemoryLimits {
  const flags = cursor.byte();
  if (flags > 0x07) throw new WasmFormatError(`unknown limits flags 0x${flags.toString(16)}`, cursor.offset - 1);
  const min = cursor.uleb();
  const max = flags & 0x01 ? cursor.uleb() : undefined;
  return { min, ...(max === undefined ? {} : { max }), shared: (flags & 0x02) !== 0, is64: (flags & 0x04) !== 0 };
}

/** One composite type; only function types matter here, the others are read to keep type indexes right. */
function readCompositeType(cursor: ByteCursor): FunctionSignature | undefined {
  const form = cursor.byte();
  switch (form) {
    case 0x60: {
      const params = Array.from({ length: cursor.u32() }, () => readValueType(cursor));
      const results = Array.from({ length: cursor.u32() }, () => readValueType(cursor));
      return { params, results };
    }
    case 0x5f: // struct
      for (let n = cursor.u32(); n > 0; n--) readFieldType(cursor);
      return undefined;
    case 0x5e: // array
      readFieldType(cursor);
      return undefined;
    default:
      throw new WasmFormatError(`unknown type form 0x${form.toString(16)}`, cursor.offset - 1);
  }
}

function readFieldType(cursor: ByteCursor): void {
  const storage = cursor.byte();
  // i8 and i16 are packed storage types, valid only in fields.
  if (storage !== 0x78 && storage !== 0x77) {
    cursor.offset--;
    readValueType(cursor);
  }
  cursor.byte(); // mutability
}

function readSubType(cursor: ByteCursor): FunctionSignature | undefined {
  const form = cursor.byte();
  if (form === 0x50 || form === 0x4f) {
    for (let n = cursor.u32(); n > 0; n--) cursor.u32();
    return readCompositeType(cursor);
  }
  cursor.offset--;
  return readCompositeType(cursor);
}

function readTypeSection(cursor: ByteCursor): (FunctionSignature | undefined)[] {
  const types: (FunctionSignature | undefined)[] = [];
  for (let n = cursor.u32(); n > 0; n--) {
    if (cursor.byte() === 0x4e) {
      for (let m = cursor.u32(); m > 0; m--) types.push(readSubType(cursor));
    } else {
      cursor.offset--;
      types.push(readSubType(cursor));
    }
  }
  return types;
}

function signatureAt(types: readonly (FunctionSignature | undefined)[], index: number, offset: number): FunctionSignature {
  const signature = types[index];
  if (!signature) throw new WasmFormatError(`type index ${index} is not a function type`, offset);
  return signature;
}

/**
 * Parses the interface of a Wasm binary.
 * @throws WasmFormatError when the bytes are not a Wasm 1.0 binary module or a section is malformed.
 */
export function readWasmInterface(bytes: Uint8Array): WasmInterface {
  if (bytes.byteLength < 8 || bytes[0] !== 0x00 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new WasmFormatError("not a WebAssembly binary (no \\0asm magic)", 0);
  }
  const version = bytes[4]! | (bytes[5]! << 8) | (bytes[6]! << 16) | (bytes[7]! << 24);
  if (version !== 1) throw new WasmFormatError(`unsupported binary version ${version} (a component, or a future format?)`, 4);

  const cursor = new ByteCursor(bytes);
  cursor.offset = 8;
  let types: (FunctionSignature | undefined)[] = [];
  const imports: WasmImport[] = [];
  const functionTypes: number[] = [];
  const memories: MemoryLimits[] = [];
  const exports: WasmExport[] = [];

  while (!cursor.done) {
    const id = cursor.byte();
    const section = cursor.sub(cursor.u32());
    switch (id) {
      case SECTION.type:
        types = readTypeSection(section);
        break;
      case SECTION.import:
        for (let n = section.u32(); n > 0; n--) {
          const module = section.name();
          const name = section.name();
          const kindCode = section.byte();
          const kind = KINDS[kindCode];
          if (!kind) throw new WasmFormatError(`unknown import kind ${kindCode}`, section.offset - 1);
          const entry: WasmImport = { module, name, kind };
          if (kind === "function") {
            const typeIndex = section.u32();
            entry.signature = signatureAt(types, typeIndex, section.offset);
            functionTypes.push(typeIndex);
          } else if (kind === "table") {
            readValueType(section);
            readLimits(section);
          } else if (kind === "memory") {
            entry.memory = readLimits(section);
            memories.push(entry.memory);
          } else if (kind === "global") {
            entry.global = { type: readValueType(section), mutable: section.byte() === 1 };
          } else {
            section.byte();
            section.u32();
          }
          imports.push(entry);
        }
        break;
      case SECTION.function:
        for (let n = section.u32(); n > 0; n--) functionTypes.push(section.u32());
        break;
      case SECTION.memory:
        for (let n = section.u32(); n > 0; n--) memories.push(readLimits(section));
        break;
      case SECTION.export:
        for (let n = section.u32(); n > 0; n--) {
          const name = section.name();
          const kindCode = section.byte();
          const kind = KINDS[kindCode];
          if (!kind) throw new WasmFormatError(`unknown export kind ${kindCode}`, section.offset - 1);
          const index = section.u32();
          exports.push({ name, kind, index });
        }
        break;
      default:
        // Custom, table, global, start, element, code, data, tag: nothing the ABI check needs.
        break;
    }
  }

  for (const entry of exports) {
    if (entry.kind === "function") {
      const typeIndex = functionTypes[entry.index];
      if (typeIndex === undefined) throw new WasmFormatError(`export "${entry.name}" names missing function ${entry.index}`, 0);
      entry.signature = signatureAt(types, typeIndex, 0);
    } else if (entry.kind === "memory") {
      const memory = memories[entry.index];
      if (!memory) throw new WasmFormatError(`export "${entry.name}" names missing memory ${entry.index}`, 0);
      entry.memory = memory;
    }
  }
  return { imports, exports, memories };
}
