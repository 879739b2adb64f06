/** Only same-site paths: a callbackUrl must never send a fresh session to another origin. */
export { safeCallbackPath as safeCallbackUrl } from "@/lib/auth/redirect";
