// The reference point of the redirect benchmark: a worker that answers every request with a fixed
// 302, as fast as this runtime can answer anything.
export default {
  fetch() {
    return new Response(null, {
      status: 302,
      headers: { location: "https://example.com/", "cache-control": "private, no-store" },
    });
  },
};
