/**
 * The few pieces of the protobuf wire format the SDK needs to talk to Envoy's
 * foreign functions: writing length-delimited fields and reading varint and
 * length-delimited fields back.
 */

const WIRE_VARINT: u32 = 0;
const WIRE_I64: u32 = 1;
const WIRE_LENGTH_DELIMITED: u32 = 2;
const WIRE_I32: u32 = 5;

function varintSize(value: u64): i32 {
  let size = 1;
  while (value >= 0x80) { value >>= 7; size++; }
  return size;
}

function writeVarint(at: usize, value: u64): usize {
  while (value >= 0x80) {
    store<u8>(at++, <u8>(value & 0x7f) | 0x80);
    value >>= 7;
  }
  store<u8>(at++, <u8>value);
  return at;
}

class Field {
  constructor(readonly number: u32, readonly bytes: ArrayBuffer) {}
}

/** Builds a message out of bytes/string fields; proto3 empty fields are skipped. */
export class ProtobufWriter {
  private readonly fields: Field[] = [];

  bytes(fieldNumber: u32, value: ArrayBuffer): ProtobufWriter {
    if (value.byteLength > 0) this.fields.push(new Field(fieldNumber, value));
    return this;
  }

  string(fieldNumber: u32, value: string): ProtobufWriter {
    return this.bytes(fieldNumber, String.UTF8.encode(value));
  }

  finish(): ArrayBuffer {
    let size = 0;
    for (let i = 0; i < this.fields.length; i++) {
      const field = unchecked(this.fields[i]);
      const length = field.bytes.byteLength;
      size += varintSize(<u64>(field.number << 3 | WIRE_LENGTH_DELIMITED)) + varintSize(<u64>length) + length;
    }
    const message = new ArrayBuffer(size);
    let at = changetype<usize>(message);
    for (let i = 0; i < this.fields.length; i++) {
      const field = unchecked(this.fields[i]);
      const length = field.bytes.byteLength;
      at = writeVarint(at, <u64>(field.number << 3 | WIRE_LENGTH_DELIMITED));
      at = writeVarint(at, <u64>length);
      memory.copy(at, changetype<usize>(field.bytes), length);
      at += length;
    }
    return message;
  }
}

/** Reads the top-level fields of a message one at a time. */
export class ProtobufReader {
  private position: i32 = 0;
  /** Field number of the field just read by {@link next}. */
  fieldNumber: u32 = 0;
  /** Wire type of the field just read. */
  wireType: u32 = 0;
  /** Varint value of the field just read (varint fields only). */
  varint: u64 = 0;
  /** Payload of the field just read (length-delimited fields only). */
  payload: ArrayBuffer | null = null;
  /** True once malformed input was seen. */
  malformed: bool = false;

  constructor(readonly message: ArrayBuffer) {}

  private readVarint(): u64 {
    let value: u64 = 0;
    let shift: u64 = 0;
    const end = this.message.byteLength;
    const base = changetype<usize>(this.message);
    while (this.position < end && shift < 64) {
      const byte = load<u8>(base + this.position++);
      value |= <u64>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return value;
      shift += 7;
    }
    this.malformed = true;
    return 0;
  }

  /** Advances to the next field; false at the end or on malformed input. */
  next(): bool {
    if (this.malformed || this.position >= this.message.byteLength) return false;
    const key = this.readVarint();
    this.fieldNumber = <u32>(key >> 3);
    this.wireType = <u32>(key & 7);
    this.payload = null;
    if (this.wireType == WIRE_VARINT) {
      this.varint = this.readVarint();
    } else if (this.wireType == WIRE_LENGTH_DELIMITED) {
      const length = <i32>this.readVarint();
      if (length < 0 || this.position + length > this.message.byteLength) { this.malformed = true; return false; }
      this.payload = this.message.slice(this.position, this.position + length);
      this.position += length;
    } else if (this.wireType == WIRE_I64) {
      this.position += 8;
    } else if (this.wireType == WIRE_I32) {
      this.position += 4;
    } else {
      this.malformed = true;
    }
    return !this.malformed && this.position <= this.message.byteLength;
  }
}
