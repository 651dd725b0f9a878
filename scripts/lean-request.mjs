// What an API hot route's handler reads of its request (ApiRequest in lib/api/handle-api.ts),
// built straight from Node's request by scripts/server.mjs instead of a Fetch Request.
// It reads as the Request Next.js builds for a route handler would:
// - headers as Node parsed them (req.headers, as Next.js copies them: of a header Node keeps one
//   of, such as Authorization or Content-Type, the first; the rest joined with ", ");
// - the body decoded as UTF-8 as Request.text() does (undici drops a leading BOM, then its
//   decoder drops a second one).

const utf8 = new TextDecoder();

/**
 * @param {{ method?: string; url?: string; headers: Record<string, string | string[] | undefined> }} req Node's request
 * @param {Buffer | Uint8Array | null} body the whole body, or null when there is none
 */
export function leanRequest(req, body) {
  const headers = req.headers;
  return {
    method: req.method ?? "GET",
    url: `http://${req.headers.host || "localhost"}${req.url ?? "/"}`,
    headers: {
      get(name) {
        const value = headers[String(name).toLowerCase()];
        if (value === undefined) return null;
        return Array.isArray(value) ? value.join(", ") : String(value);
      },
    },
    // as undici's Request.text(): a leading BOM is dropped, then the decoder drops another
    text: async () => {
      if (!body || body.length === 0) return "";
      return utf8.decode(body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? body.subarray(3) : body);
    },
  };
}
