// 公民身份号码 (GB 11643) checks for the person form, as the server does them
// (src/core/id_number.cpp): full-width digits and spaces normalised, lowercase x → X, 15-digit
// numbers converted to 18, the birth date real, not before 1900 and not after today, the check digit.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK = '10X98765432'

/** Full-width digits and letters → ASCII, spaces (ASCII, full-width, tabs) removed, x → X. */
export function normalizeIdNumber(raw) {
  return String(raw || '')
    .replace(/[\uFF10-\uFF19\uFF38\uFF58]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000]/g, '')
    .replace(/x/g, 'X')
}

export function checkDigit(first17) {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]
  return CHECK[sum % 11]
}

function validDate(y, m, d) {
  if (m < 1 || m > 12 || d < 1) return false
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
  return d <= days[m - 1]
}

function todayIso() {
  const t = new Date()
  const p = (n) => String(n).padStart(2, '0')
  return `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())}`
}

/**
 * Checks an ID number as typed. Returns
 *   { state: 'empty' | 'typing' | 'ok' | 'error', message, number (18 digits when ok),
 *     gender ('男' | '女'), birthDate (YYYY-MM-DD), converted (from 15 digits) }.
 * 'typing' is a prefix that may still become valid (fewer than 18 characters, not 15).
 */
export function checkIdNumber(raw, today = todayIso()) {
  const s = normalizeIdNumber(raw)
  if (!s) return { state: 'empty', message: '' }
  if (/^\d+(\.\d*)?[eE][+-]?\d+$/.test(s)) {
    return { state: 'error', message: '这是 Excel 的科学计数法，末几位已丢失，请输入完整的身份证号' }
  }
  if (!/^[0-9X]+$/.test(s)) return { state: 'error', message: '身份证号只能由数字和末位的 X 组成' }
  const x = s.indexOf('X')
  if (x >= 0 && !(x === 17 && s.length === 18)) {
    return { state: 'error', message: '身份证号中的 X 只能是18位号码的最后一位' }
  }
  if (s.length > 18) return { state: 'error', message: '身份证号应为18位（或15位旧号码）' }
  if (s.length !== 18 && s.length !== 15) {
    return { state: 'typing', message: `已输入 ${s.length} 位，应为18位（或15位旧号码）` }
  }
  let number = s
  const converted = s.length === 15
  if (converted) {
    const first17 = s.slice(0, 6) + '19' + s.slice(6)
    number = first17 + checkDigit(first17)
  }
  const y = Number(number.slice(6, 10))
  const m = Number(number.slice(10, 12))
  const d = Number(number.slice(12, 14))
  const birthDate = `${number.slice(6, 10)}-${number.slice(10, 12)}-${number.slice(12, 14)}`
  // A 15-digit prefix of an 18-digit number being typed is not an error yet.
  const pending = (r) => (converted ? { ...r, state: 'typing', message: `已输入 15 位：${r.message}` } : r)
  if (!validDate(y, m, d)) return pending({ state: 'error', message: `身份证号中的出生日期 ${birthDate} 不是有效日期` })
  if (y < 1900) return pending({ state: 'error', message: `身份证号中的出生日期 ${birthDate} 早于1900年` })
  if (birthDate > today) return pending({ state: 'error', message: `身份证号中的出生日期 ${birthDate} 晚于今天` })
  if (!converted) {
    const expected = checkDigit(number.slice(0, 17))
    if (number[17] !== expected) {
      if (number.endsWith('000')) {
        return { state: 'error', message: '身份证号末几位像是被 Excel 舍入成了 0，请核对后重新输入' }
      }
      return { state: 'error', message: `身份证号校验位错误，应为 ${expected}` }
    }
  }
  return {
    state: 'ok',
    message: converted ? `15位旧号码，将登记为 ${number}` : '身份证号有效',
    number,
    converted,
    gender: Number(number[16]) % 2 === 1 ? '男' : '女',
    birthDate,
  }
}
