import { createRouter, createWebHistory } from 'vue-router'
import { useSessionStore } from '@/stores/session'
import { useAppStore } from '@/stores/app'
import { homePath } from './menu'
import Layout from '@/layout/Layout.vue'

const routes = [
  {
    path: '/login',
    component: () => import('@/views/login/Login.vue'),
    meta: { public: true, title: '登录' },
  },
  {
    path: '/password',
    component: () => import('@/views/login/ChangePassword.vue'),
    meta: { title: '修改密码' },
  },
  {
    path: '/',
    component: Layout,
    children: [
      {
        path: 'index',
        component: () => import('@/views/index/Dashboard.vue'),
        meta: { title: '首页', perm: 'dashboard:read', affix: true, cacheName: 'Dashboard' },
      },
      {
        path: 'registry/person',
        component: () => import('@/views/registry/person/PersonList.vue'),
        meta: { title: '优抚对象信息库', perm: 'business:read', cacheName: 'RegistryPerson', parent: '优抚对象' },
      },
      {
        path: 'registry/person/:id(\\d+)',
        component: () => import('@/views/registry/person/PersonDetail.vue'),
        meta: { title: '优抚对象详情', perm: 'business:read', parent: '优抚对象', menu: '/registry/person' },
      },
      {
        path: 'payroll/standards',
        component: () => import('@/views/payroll/standards/StandardList.vue'),
        meta: { title: '待遇标准', perm: 'business:read', cacheName: 'PayrollStandards', parent: '抚恤补助发放' },
      },
      {
        path: 'payroll/runs',
        component: () => import('@/views/payroll/runs/RunList.vue'),
        meta: { title: '发放批次', perm: 'business:read', cacheName: 'PayrollRuns', parent: '抚恤补助发放' },
      },
      {
        path: 'payroll/runs/:id(\\d+)',
        component: () => import('@/views/payroll/runs/RunDetail.vue'),
        meta: { title: '批次详情', perm: 'business:read', parent: '抚恤补助发放', menu: '/payroll/runs' },
      },
      {
        path: 'payroll/proof-of-life',
        component: () => import('@/views/payroll/proof/ProofList.vue'),
        meta: { title: '生存认证', perm: 'business:read', cacheName: 'PayrollProofOfLife', parent: '抚恤补助发放' },
      },
      // One 台帐 page per kind of case (涉军维权 group), the same component told its kind.
      ...[
        ['cases/rights', 'rights', '涉军维权台帐'],
        ['cases/unit-request', 'unit_request', '部队诉求台帐'],
        ['cases/hardship', 'hardship', '困难诉求台帐'],
        ['cases/hazard', 'hazard', '安全隐患台帐'],
      ].map(([path, kind, title]) => ({
        path,
        component: () => import('@/views/cases/CaseList.vue'),
        meta: { title, perm: 'business:read', cacheName: 'CaseLedger', parent: '涉军维权', kind },
      })),
      {
        path: 'cases/case/:id(\\d+)',
        component: () => import('@/views/cases/CaseDetail.vue'),
        meta: { title: '诉求详情', perm: 'business:read', parent: '涉军维权' },
      },
      {
        path: 'assistance/pairs',
        component: () => import('@/views/assistance/PairList.vue'),
        meta: { title: '结对帮扶（一助一）', perm: 'business:read', cacheName: 'AssistancePairs' },
      },
      {
        path: 'assistance/pairs/:id(\\d+)',
        component: () => import('@/views/assistance/PairDetail.vue'),
        meta: { title: '帮扶对子', perm: 'business:read', menu: '/assistance/pairs' },
      },
      {
        path: 'visits/campaigns',
        component: () => import('@/views/visits/CampaignList.vue'),
        meta: { title: '走访慰问活动', perm: 'business:read', cacheName: 'VisitCampaigns', parent: '走访慰问' },
      },
      {
        path: 'visits/campaigns/:id(\\d+)',
        component: () => import('@/views/visits/CampaignDetail.vue'),
        meta: { title: '活动详情', perm: 'business:read', parent: '走访慰问', menu: '/visits/campaigns' },
      },
      {
        path: 'visits/mine',
        component: () => import('@/views/visits/MyVisits.vue'),
        meta: { title: '我的走访', perm: 'business:write', cacheName: 'MyVisits', parent: '走访慰问' },
      },
      {
        path: 'system/calendar',
        component: () => import('@/views/calendar/CalendarPage.vue'),
        meta: { title: '工作日历', perm: 'calendar:manage', cacheName: 'WorkingCalendar', parent: '系统管理' },
      },
      {
        path: 'system/user',
        component: () => import('@/views/system/user/UserList.vue'),
        meta: { title: '用户管理', perm: 'user:read', cacheName: 'SystemUser', parent: '系统管理' },
      },
      {
        path: 'system/role',
        component: () => import('@/views/system/role/RoleList.vue'),
        meta: { title: '角色管理', perm: 'role:read', cacheName: 'SystemRole', parent: '系统管理' },
      },
      {
        path: 'system/region',
        component: () => import('@/views/system/region/RegionList.vue'),
        meta: { title: '区划管理', perm: 'region:read', cacheName: 'SystemRegion', parent: '系统管理' },
      },
      {
        path: 'system/settings',
        component: () => import('@/views/system/settings/SettingsPage.vue'),
        meta: { title: '系统设置', perm: 'settings:manage', cacheName: 'SystemSettings', parent: '系统管理' },
      },
      {
        path: 'audit',
        component: () => import('@/views/audit/AuditList.vue'),
        meta: { title: '审计日志', perm: 'audit:read', cacheName: 'AuditLog' },
      },
      {
        path: 'welcome',
        component: () => import('@/views/index/Welcome.vue'),
        meta: { title: '欢迎', noTab: true },
      },
      {
        path: '403',
        component: () => import('@/views/error/Forbidden.vue'),
        meta: { title: '无权访问', noTab: true },
      },
      {
        path: ':pathMatch(.*)*',
        component: () => import('@/views/error/NotFound.vue'),
        meta: { title: '页面不存在', noTab: true },
      },
    ],
  },
]

const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})

router.beforeEach(async (to) => {
  const session = useSessionStore()
  if (!session.loaded) await session.fetchMe()
  const has = (p) => session.has(p)

  if (to.meta.public) {
    if (session.loggedIn && to.path === '/login') {
      return session.mustChangePassword ? '/password' : homePath(has)
    }
    return true
  }
  if (!session.loggedIn) {
    const query = to.fullPath && to.fullPath !== '/' ? { redirect: to.fullPath } : {}
    return { path: '/login', query }
  }
  if (session.mustChangePassword) {
    return to.path === '/password' ? true : '/password'
  }
  if (to.path === '/password' || to.path === '/') return homePath(has)
  if (to.meta.perm && !has(to.meta.perm)) {
    return { path: '/403', query: { from: to.fullPath } }
  }
  return true
})

const HOME_TAB = { path: '/index', fullPath: '/index', title: '首页', name: 'Dashboard', affix: true }

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} - 双拥工作管理系统` : '双拥工作管理系统'
  if (to.meta.public || to.path === '/password') return
  const session = useSessionStore()
  useAppStore().addTab(to, session.has('dashboard:read') ? HOME_TAB : null)
})

export default router
