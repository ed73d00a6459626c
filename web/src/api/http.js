// Small fetch wrapper for /api/v1: same-origin cookies, X-CSRF-Token on every non-GET request,
// Chinese error messages (the server's error.message, or a fallback by status), and one hook for
// "not logged in" (401) that the app points at the router.
import { ElMessage } from 'element-plus'

export const API_BASE = '/api/v1'

let csrfToken = ''
let onUnauthorized = null

export function setCsrfToken(token) {
  csrfToken = token || ''
}

export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn
}

const FALLBACK_MESSAGES = {
  400: '请求参数有误',
  401: '登录状态已失效，请重新登录',
  403: '没有权限执行此操作',
  404: '请求的资源不存在或不在您的管辖范围内',
  409: '数据已被他人修改，请刷新后重试',
  413: '提交的数据过大',
  429: '操作过于频繁，请稍后再试',
}

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.field = field || null
  }
}

function fallbackMessage(status) {
  if (FALLBACK_MESSAGES[status]) return FALLBACK_MESSAGES[status]
  if (status >= 500) return `服务器内部错误（${status}），请稍后再试或联系管理员`
  return `请求失败（${status}）`
}

export function buildQuery(query) {
  if (!query) return ''
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue
    params.append(k, String(v))
  }
  const s = params.toString()
  return s ? `?${s}` : ''
}

async function readError(resp) {
  let code = `http_${resp.status}`
  let message = ''
  let field = null
  try {
    const text = await resp.text()
    if (text) {
      const data = JSON.parse(text)
      if (data && data.error) {
        code = data.error.code || code
        message = data.error.message || ''
        field = data.error.field || null
      }
    }
  } catch {
    // Not JSON (a proxy page, say): fall back to a message by status.
  }
  return new ApiError(resp.status, code, message || fallbackMessage(resp.status), field)
}

/**
 * Low-level call. Options:
 *   query   – object turned into the query string (empty values dropped)
 *   body    – JSON body
 *   silent  – do not pop up ElMessage on error (caller shows it)
 *   auth401 – false: a 401 is an ordinary error (log-in form, start-up probe), not "session over"
 *   raw     – return the Response itself (downloads)
 */
export async function request(method, path, opts = {}) {
  const headers = { Accept: 'application/json' }
  const init = { method, headers, credentials: 'same-origin' }
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(opts.body)
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) {
    headers['X-CSRF-Token'] = csrfToken
  }
  let resp
  try {
    resp = await fetch(API_BASE + path + buildQuery(opts.query), init)
  } catch {
    const err = new ApiError(0, 'network', '无法连接服务器，请检查网络后重试')
    if (!opts.silent) ElMessage.error(err.message)
    throw err
  }
  if (!resp.ok) {
    const err = await readError(resp)
    if (resp.status === 401 && opts.auth401 !== false) {
      if (onUnauthorized) onUnauthorized(err)
      throw err
    }
    if (err.code === 'password_change_required' && onUnauthorized) {
      onUnauthorized(err)
      throw err
    }
    if (!opts.silent) ElMessage.error(err.message)
    throw err
  }
  if (opts.raw) return resp
  if (resp.status === 204) return null
  const text = await resp.text()
  if (!text) return null
  try {
    return JSON.parse(text)
  } catch {
    throw new ApiError(resp.status, 'bad_json', '服务器返回了无法识别的数据')
  }
}

export const http = {
  get: (path, query, opts) => request('GET', path, { ...opts, query }),
  post: (path, body, opts) => request('POST', path, { ...opts, body }),
  put: (path, body, opts) => request('PUT', path, { ...opts, body }),
  patch: (path, body, opts) => request('PATCH', path, { ...opts, body }),
  del: (path, opts) => request('DELETE', path, opts),
}

function filenameFrom(disposition, fallback) {
  if (!disposition) return fallback
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition)
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''))
    } catch {
      // fall through to the plain form
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(disposition)
  return plain ? plain[1].trim() : fallback
}

/** Hands a Blob to the browser as a download named `name`. */
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  document.body.removeChild(a)
  setTimeout(() => URL.revokeObjectURL(url), 10000)
}

/** GET a file and hand it to the browser as a download. Returns the file name used. */
export async function download(path, query, fallbackName) {
  const resp = await request('GET', path, { query, raw: true })
  const blob = await resp.blob()
  const name = filenameFrom(resp.headers.get('Content-Disposition'), fallbackName)
  saveBlob(blob, name)
  return name
}

/** Base64 (as the server sends an error workbook) → Blob. */
export function base64ToBlob(b64, type = 'application/octet-stream') {
  const bin = atob(b64)
  const bytes = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
  return new Blob([bytes], { type })
}

/**
 * POST multipart form data with upload progress (fetch cannot report it, XMLHttpRequest can).
 * onProgress(percent 0–100, or null when the size is unknown); the same errors, CSRF header and
 * 401 handling as `request`, the answer parsed as JSON.
 */
export function upload(path, formData, { onProgress, silent } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', API_BASE + path)
    xhr.withCredentials = true
    xhr.setRequestHeader('Accept', 'application/json')
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken)
    const fail = (err) => {
      if (err.status === 401 || err.code === 'password_change_required') {
        if (onUnauthorized) onUnauthorized(err)
      } else if (!silent) {
        ElMessage.error(err.message)
      }
      reject(err)
    }
    if (onProgress) {
      xhr.upload.onprogress = (e) => onProgress(e.lengthComputable ? Math.round((e.loaded / e.total) * 100) : null)
    }
    xhr.onerror = () => fail(new ApiError(0, 'network', '无法连接服务器，请检查网络后重试'))
    xhr.ontimeout = xhr.onerror
    xhr.onload = () => {
      let data = null
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null
      } catch {
        data = undefined
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        if (data === undefined) fail(new ApiError(xhr.status, 'bad_json', '服务器返回了无法识别的数据'))
        else resolve(data)
        return
      }
      const e = (data && data.error) || {}
      fail(new ApiError(xhr.status, e.code || `http_${xhr.status}`, e.message || fallbackMessage(xhr.status), e.field))
    }
    xhr.send(formData)
  })
}
