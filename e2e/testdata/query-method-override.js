// json-server middleware: honour the `_method` query parameter the way
// HTML-form backends do (json-server itself only reads X-HTTP-Method-Override),
// so that the e2e tests can check the sidecar's `_method` tunnel against a real
// backend that acts on it.
module.exports = (req, res, next) => {
  const override = req.query && req.query._method
  if (req.method === 'POST' && typeof override === 'string') {
    req.method = override.toUpperCase()
  }
  next()
}
