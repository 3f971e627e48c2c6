'use strict'
// The interceptor ejected when the request is done.
const axios = require('axios-1.6.8')
const api = axios.create({ baseURL: 'http://127.0.0.1:1' })
module.exports = {
  package: 'axios@1.6.8',
  kind: 'control',
  action(i) {
    const token = `token-${i}`
    const id = api.interceptors.request.use((config) => ({ ...config, headers: { ...config.headers, authorization: token } }))
    api.interceptors.request.eject(id)
  },
}
