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
