export { Regex } from "./regex";
