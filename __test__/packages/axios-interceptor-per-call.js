'use strict'
// An interceptor added per request to a shared axios instance, never ejected: the instance's
// interceptor list keeps every one, and what it captures.
const axios = require('axios-1.6.8')
const api = axios.create({ baseURL: 'http://127.0.0.1:1' })
module.exports = {
  package: 'axios@1.6.8',
  kind: 'leak',
  expect: { holder: /^api\.interceptors\.request\.handlers$/, name: 'Object', perCall: 1, cause: 'collection-cache' },
  action(i) {
    const token = `token-${i}`
    api.interceptors.request.use((config) => ({ ...config, headers: { ...config.headers, authorization: token } }))
  },
}
