// The sidebar menu. Each entry is shown only when the user has its permission (docs/API.md
// "Menus the web shows"); a group is shown when at least one child is.
// 抚恤补助发放 icons are components (not registered by name in main.js).
import { Money, Stamp, Tickets, Tools, Wallet } from '@element-plus/icons-vue'
import { Calendar, Flag, Help, Van, WarningFilled } from '@element-plus/icons-vue'
import { Connection } from '@element-plus/icons-vue'
import { MapLocation, Memo, Present } from '@element-plus/icons-vue'

export const MENU = [
  { path: '/index', title: '首页', icon: 'HomeFilled', perm: 'dashboard:read' },
  {
    key: 'registry',
    title: '优抚对象',
    icon: 'Medal',
    children: [{ path: '/registry/person', title: '优抚对象信息库', icon: 'Notebook', perm: 'business:read' }],
  },
  {
    key: 'payroll',
    title: '抚恤补助发放',
    icon: Wallet,
    children: [
      { path: '/payroll/standards', title: '待遇标准', icon: Tickets, perm: 'business:read' },
      { path: '/payroll/runs', title: '发放批次', icon: Money, perm: 'business:read' },
      { path: '/payroll/proof-of-life', title: '生存认证', icon: Stamp, perm: 'business:read' },
    ],
  },
  {
    key: 'cases',
    title: '涉军维权',
    icon: Flag,
    children: [
      { path: '/cases/rights', title: '涉军维权台帐', icon: Flag, perm: 'business:read' },
      { path: '/cases/unit-request', title: '部队诉求台帐', icon: Van, perm: 'business:read' },
      { path: '/cases/hardship', title: '困难诉求台帐', icon: Help, perm: 'business:read' },
      { path: '/cases/hazard', title: '安全隐患台帐', icon: WarningFilled, perm: 'business:read' },
    ],
  },
  { path: '/assistance/pairs', title: '结对帮扶（一助一）', icon: Connection, perm: 'business:read' },
  {
    key: 'visits',
    title: '走访慰问',
    icon: Present,
    children: [
      { path: '/visits/campaigns', title: '活动列表', icon: Memo, perm: 'business:read' },
      { path: '/visits/mine', title: '我的走访', icon: MapLocation, perm: 'business:write' },
    ],
  },
  {
    key: 'system',
    title: '系统管理',
    icon: 'Setting',
    children: [
      { path: '/system/user', title: '用户管理', icon: 'User', perm: 'user:read' },
      { path: '/system/role', title: '角色管理', icon: 'Avatar', perm: 'role:read' },
      { path: '/system/region', title: '区划管理', icon: 'Location', perm: 'region:read' },
      { path: '/system/settings', title: '系统设置', icon: Tools, perm: 'settings:manage' },
      { path: '/system/calendar', title: '工作日历', icon: Calendar, perm: 'calendar:manage' },
    ],
  },
  { path: '/audit', title: '审计日志', icon: 'Document', perm: 'audit:read' },
]

export function visibleMenu(has) {
  const out = []
  for (const item of MENU) {
    if (item.children) {
      const children = item.children.filter((c) => has(c.perm))
      if (children.length) out.push({ ...item, children })
    } else if (has(item.perm)) {
      out.push(item)
    }
  }
  return out
}

/** The first page the user may open: where '/' and a fresh log-in land. */
export function homePath(has) {
  for (const item of visibleMenu(has)) {
    if (item.children) return item.children[0].path
    return item.path
  }
  return '/welcome'
}
