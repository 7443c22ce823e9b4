// Exposes assembly/crypto/ec/ecdsa to the vitest suites. JS writes the key,
// digest and signature into `inputBuffer()` and passes offsets and lengths.
import {
  verifyP256, verifyP256Raw, verifyP256Uncompressed, verifyP384, verifyP384Uncompressed,
} from "../../../assembly/crypto/ec/ecdsa";

export { inputBuffer, inputCapacity } from "../shared/input-buffer";
import { bytesAt, input } from "../shared/input-buffer";

/** curve: 256 or 384. Goes through the Uint8Array API, then frees the copies. */
export function verify(curve: i32, x: i32, xLength: i32, y: i32, yLength: i32, digest: i32, digestLength: i32, signature: i32, signatureLength: i32): bool {
  const publicX = bytesAt(x, xLength);
  const publicY = bytesAt(y, yLength);
  const digestBytes = bytesAt(digest, digestLength);
  const signatureBytes = bytesAt(signature, signatureLength);
  const valid = curve == 256
    ? verifyP256(publicX, publicY, digestBytes, signatureBytes)
    : verifyP384(publicX, publicY, digestBytes, signatureBytes);
  __collect();
  return valid;
}

/** Key as 0x04 || X || Y. */
export function verifyUncompressed(curve: i32, key: i32, keyLength: i32, digest: i32, digestLength: i32, signature: i32, signatureLength: i32): bool {
  const publicKey = bytesAt(key, keyLength);
  const digestBytes = bytesAt(digest, digestLength);
  const signatureBytes = bytesAt(signature, signatureLength);
  const valid = curve == 256
    ? verifyP256Uncompressed(publicKey, digestBytes, signatureBytes)
    : verifyP384Uncompressed(publicKey, digestBytes, signatureBytes);
  __collect();
  return valid;
}

/** The allocation-free path, for timing. */
export function verifyP256InPlace(x: i32, y: i32, digest: i32, signature: i32): bool {
  return verifyP256Raw(input + <usize>x, 32, input + <usize>y, 32, input + <usize>digest, 32, input + <usize>signature, 64);
}
