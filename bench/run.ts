// npm run bench: every benchmark next to its baseline, measured in the same run; prints one
// table and stops by itself.
import { benchHostCalls } from "./host-calls.js";
import { benchCrypto } from "./crypto.js";
import { benchHotHostCalls } from "./hot-host-calls.js";
import { benchJwt } from "./jwt.js";
import { benchRbac } from "./rbac.js";
import { benchStats } from "./stats.js";
import type { BenchRow } from "./measure.js";

const rows: BenchRow[] = [];
const hostCalls = await benchHostCalls();
rows.push(...hostCalls.rows);
rows.push(...(await benchStats()));
rows.push(...(await benchHotHostCalls()));
rows.push(...(await benchJwt()));
rows.push(...(await benchRbac()));
rows.push(...(await benchCrypto()));
console.table(rows);
console.log(`header-get target <= 150 ns on this machine (Envoy's V8 host: 85 ns empty call, 250 ns small string): ${hostCalls.headerGetNs <= 150 ? "met" : "missed"}`);
