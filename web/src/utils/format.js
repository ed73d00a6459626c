// Display helpers: times, labels for codes the server sends, small checks.

/** "2026-11-22T19:30:00+08:00" → "2026-11-22 19:30:00" (server times are already Beijing time). */
export function formatTime(iso) {
  if (!iso) return ''
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})/.exec(iso)
  return m ? `${m[1]} ${m[2]}` : String(iso)
}

export const USER_STATUS = {
  active: { label: '正常', type: 'success' },
  disabled: { label: '停用', type: 'danger' },
}

export function isLocked(user) {
  if (!user || !user.locked_until) return false
  const t = Date.parse(user.locked_until)
  return Number.isNaN(t) ? true : t > Date.now()
}

export const REGION_LEVELS = {
  province: '省',
  city: '市',
  county: '县/区',
  township: '乡镇/街道',
  village: '村/社区',
}

export const RESULT_LABELS = {
  ok: { label: '成功', type: 'success' },
  failed: { label: '失败', type: 'danger' },
}

// Permission names, used when GET /permissions is not allowed for the caller.
export const PERMISSION_NAMES = {
  'user:read': '查看用户',
  'user:manage': '管理用户',
  'role:read': '查看角色',
  'role:manage': '管理角色与权限',
  'settings:manage': '系统设置',
  'region:read': '查看区划',
  'audit:read': '查看审计日志',
  'audit:export': '导出审计日志',
  'dashboard:read': '查看首页统计',
  'business:read': '查看业务数据',
  'business:write': '编辑业务数据',
  'sensitive:reveal': '查看完整身份证号、银行账号和电话',
}

// Business roles, used when GET /roles is not allowed for the caller (系统管理员 creating users).
export const BUSINESS_ROLES = [
  { code: 'biz_admin', name: '业务管理员' },
  { code: 'clerk', name: '经办人' },
  { code: 'viewer', name: '查看' },
]

export const ENTITY_LABELS = {
  user: '用户',
  role: '角色',
  session: '会话',
  settings: '系统设置',
  region: '区划',
  audit: '审计日志',
  audit_log: '审计日志',
  person: '优抚对象',
}

// Action codes the server writes (src/auth, src/org, src/audit).
export const ACTION_LABELS = {
  'session.login': '登录',
  'session.login_failed': '登录失败',
  'session.logout': '退出登录',
  'session.expired': '会话过期',
  'user.create': '新增用户',
  'user.update': '修改用户',
  'user.disable': '停用用户',
  'user.enable': '启用用户',
  'user.reset_password': '重置密码',
  'user.change_password': '修改密码',
  'user.set_roles': '分配角色',
  'user.unlock': '解锁用户',
  'user.locked': '账号锁定',
  'role.update': '修改角色权限',
  'settings.update': '修改系统设置',
  'region.load': '导入区划数据',
  'audit.export': '导出审计日志',
  'person.create': '新增优抚对象',
  'person.update': '修改优抚对象',
  'person.status': '变更优抚对象状态',
  'person.import': '导入优抚对象',
  'person.export': '导出优抚对象',
  'person.reveal': '查看完整敏感信息',
}

// Record fields as shown in the audit change summary.
export const FIELD_LABELS = {
  username: '用户名',
  display_name: '姓名',
  region_code: '区划代码',
  region_name: '所属区划',
  roles: '角色',
  role_names: '角色名称',
  status: '状态',
  must_change_password: '须修改密码',
  locked_until: '锁定至',
  last_login_at: '最后登录',
  permissions: '权限',
  failed_logins: '连续失败次数',
  disabled_reason: '停用原因',
}

/** The server sends action_name with each audit row; the table above covers older rows. */
export function actionLabel(code, name) {
  return name || ACTION_LABELS[code] || code || ''
}

// Permissions the server lets a business role hold (src/auth/roles.cpp: no user:, role:,
// settings:, audit: permission on a business role).
export function grantableToBusiness(code) {
  return !/^(user|role|settings|audit):/.test(code)
}

export function entityLabel(code) {
  return ENTITY_LABELS[code] || code || ''
}

export function prettyJson(v) {
  if (v === null || v === undefined) return '（无）'
  try {
    return JSON.stringify(v, null, 2)
  } catch {
    return String(v)
  }
}

// ---- 优抚对象 (src/registry/categories.cpp)

export const PERSON_STATUS = {
  active: { label: '在册', type: 'success' },
  suspended: { label: '暂停', type: 'warning' },
  moved: { label: '迁出', type: 'info' },
  deceased: { label: '死亡', type: 'danger' },
  cancelled: { label: '注销', type: 'info' },
}

// `family`: a relative of a serviceman or martyr (与军人关系 applies).
export const PERSON_CATEGORIES = [
  { code: 'martyr_survivor', name: '烈士遗属', family: true },
  { code: 'duty_death_survivor', name: '因公牺牲军人遗属', family: true },
  { code: 'illness_death_survivor', name: '病故军人遗属', family: true },
  { code: 'disabled_veteran', name: '残疾军人', family: false },
  { code: 'demobilized_veteran', name: '在乡复员军人', family: false },
  { code: 'ill_returned_veteran', name: '带病回乡退役军人', family: false },
  { code: 'war_veteran', name: '参战退役军人', family: false },
  { code: 'nuclear_test_veteran', name: '参试退役军人', family: false },
  { code: 'rural_veteran_60', name: '60周岁以上农村籍退役士兵', family: false },
  { code: 'elderly_martyr_child', name: '烈士老年子女', family: true },
  { code: 'conscript_family', name: '义务兵家庭', family: true },
  { code: 'service_family', name: '现役军人家属', family: true },
  { code: 'accompanying_spouse', name: '随军家属', family: true },
  { code: 'transferred_officer', name: '军队转业干部', family: false },
  { code: 'discharged_soldier', name: '退役士兵', family: false },
]
export const DISABLED_VETERAN = 'disabled_veteran'

export const GRADE_NAMES = ['一级', '二级', '三级', '四级', '五级', '六级', '七级', '八级', '九级', '十级']
export const DISABILITY_CAUSES = [
  { code: 'combat', name: '因战' },
  { code: 'duty', name: '因公' },
  { code: 'illness', name: '因病' },
]
/** 因病致残 is graded 一级–六级 only. */
export const ILLNESS_MAX_GRADE = 6
export const RELATIONS = ['父母', '配偶', '子女', '兄弟姐妹']

export function categoryByCode(code) {
  return PERSON_CATEGORIES.find((c) => c.code === code) || null
}

/** "残疾军人 三级 因战" for a person's category entry. */
export function categoryText(c) {
  if (!c) return ''
  return [c.category_name || (categoryByCode(c.category) || {}).name || c.category, c.grade_name, c.cause_name]
    .filter(Boolean)
    .join(' ')
}

export const HISTORY_ACTIONS = {
  create: { label: '新增', type: 'primary' },
  import: { label: '导入', type: 'success' },
  update: { label: '修改', type: 'warning' },
  status: { label: '状态变更', type: 'danger' },
}

/** Whole years from an ISO birth date to today (browser clock; only for display). */
export function ageFrom(birth) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birth || '')
  if (!m) return null
  const now = new Date()
  let age = now.getFullYear() - Number(m[1])
  const md = (now.getMonth() + 1) * 100 + now.getDate()
  if (md < Number(m[2]) * 100 + Number(m[3])) age--
  return Math.max(age, 0)
}

// Masks as the server does (src/core/id_number.cpp), for values the server sent in full where the
// caller should see them masked (the change history).
function maskMiddle(s, front, back) {
  const cps = [...String(s).replace(/\s/g, '')]
  return cps.map((c, i) => (i < front || i + back >= cps.length ? c : '*')).join('')
}
export const SENSITIVE_FIELDS = ['id_number', 'phone', 'bank_account']
export function maskSensitive(field, value) {
  if (!value) return value
  const n = [...String(value).replace(/\s/g, '')].length
  if (field === 'id_number' || field === 'bank_account') return n <= 8 ? '*'.repeat(n) : maskMiddle(value, 4, 4)
  if (field === 'phone') return n < 8 ? maskMiddle(value, 0, Math.min(2, n)) : maskMiddle(value, 3, 4)
  return value
}

// ---- 抚恤补助发放 (src/payroll)

/** Fen (integer) → yuan with thousands separators: 123456 → "1,234.56", -5000 → "-50.00". */
export function yuan(fen) {
  if (fen === null || fen === undefined || fen === '') return ''
  const n = Number(fen)
  if (!Number.isFinite(n)) return String(fen)
  const neg = n < 0
  const abs = Math.round(Math.abs(n))
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  const cents = String(abs % 100).padStart(2, '0')
  return `${neg ? '-' : ''}${whole}.${cents}`
}

export const RUN_STATUS = {
  draft: { label: '草稿', type: 'warning' },
  approved: { label: '已审核', type: 'primary' },
  reconciled: { label: '已对账', type: 'success' },
  discarded: { label: '已作废', type: 'info' },
}
export const RUN_KINDS = {
  regular: { label: '正常', type: 'primary' },
  reissue: { label: '重发', type: 'warning' },
}
// Line kinds (src/payroll/runs.cpp line_kind_name).
export const LINE_KINDS = {
  regular: { label: '正常', type: 'info' },
  arrears: { label: '补发', type: 'success' },
  recovery: { label: '扣回', type: 'danger' },
  one_off: { label: '一次性', type: 'warning' },
  reissue: { label: '重发', type: 'primary' },
}
export const BANK_STATUS = {
  paid: { label: '成功', type: 'success' },
  failed: { label: '失败', type: 'danger' },
}
export const STANDARD_UNITS = [
  { code: 'yearly', name: '按年' },
  { code: 'monthly', name: '按月' },
  { code: 'monthly_per_year_served', name: '按服役年限每月' },
]
export const PROOF_METHODS = ['人脸识别', '上门核验', '视频认证', '到场认证', '其他']

/** "2026-05" → "2026年5月". */
export function monthText(m) {
  const x = /^(\d{4})-(\d{2})$/.exec(m || '')
  return x ? `${x[1]}年${Number(x[2])}月` : m || ''
}
