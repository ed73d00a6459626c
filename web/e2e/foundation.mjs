// Foundation browser test: log in as a township clerk, see real counts on 首页, find 东泰社区居委会
// in 区划管理, check the phone-width drawer, log out.
//   SY_BASE_URL=http://127.0.0.1:8080 SY_E2E_USER=fc_clerk SY_E2E_PASSWORD='Demo#2026' node e2e/foundation.mjs
import assert from 'node:assert/strict'
import { BASE_URL, PASSWORD, run, step, shot, waitStill, login, logout, openMenu, tableRows } from './lib.mjs'

const USER = process.env.SY_E2E_USER || 'fc_clerk'

await run('foundation', async ({ page, context }) => {
  step(`打开登录页 ${BASE_URL}/login`)
  await page.goto(`${BASE_URL}/login`, { waitUntil: 'domcontentloaded' })
  await page.getByRole('button', { name: '登录' }).waitFor()
  assert.match(await page.title(), /双拥工作管理系统/, '登录页标题不对')
  await shot(page, '01-login')

  step('错误的密码显示服务器的中文提示')
  await page.getByPlaceholder('用户名').fill(USER)
  await page.getByPlaceholder('密码').fill('wrong-password-1')
  await page.getByRole('button', { name: '登录' }).click()
  const err = page.getByTestId('login-error')
  await err.waitFor()
  const errText = (await err.innerText()).trim()
  assert.match(errText, /[\u4e00-\u9fff]/, `登录错误提示应为中文，实际为「${errText}」`)

  step(`以 ${USER} 登录`)
  await login(page, USER, PASSWORD)

  step('首页显示数字统计')
  if (new URL(page.url()).pathname !== '/index') await page.goto(`${BASE_URL}/index`)
  await page.waitForURL((u) => u.pathname === '/index')
  const keys = ['townships', 'villages', 'users', 'logins_today', 'failed_logins_today', 'audit_today']
  for (const key of keys) {
    const value = page.locator(`[data-testid="stat-${key}"] .stat-value`)
    await page.waitForFunction(
      (el) => el && /^\d[\d,]*$/.test(el.textContent.trim()),
      await value.elementHandle(),
      { timeout: 15000 },
    ).catch(async () => {
      throw new Error(`首页统计 ${key} 不是数字：「${(await value.innerText()).trim()}」`)
    })
  }
  const logins = Number((await page.locator('[data-testid="stat-logins_today"] .stat-value').innerText()).replace(/,/g, ''))
  assert.ok(logins >= 1, `今日登录应至少为 1（刚刚登录过），实际为 ${logins}`)
  const region = (await page.getByTestId('dashboard-region').innerText()).trim()
  assert.ok(region && region !== '—', '首页未显示区划名称')
  console.log(`  区划：${region}`)
  await shot(page, '02-dashboard')

  step('打开 系统管理 → 区划管理')
  await openMenu(page, '系统管理', '区划管理', '/system/region')
  const treeRows = await tableRows(page, 'region-tree')
  assert.ok(treeRows >= 1, '区划树为空')
  await page.locator('[data-testid="region-tree"] .el-table__expand-icon').first().click()
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid="region-tree"] tbody tr.el-table__row').length > 1,
    null,
    { timeout: 15000 },
  ).catch(() => {
    throw new Error('展开区划树后没有下级区划')
  })
  await shot(page, '03-region-tree')

  step('搜索「东泰」找到 东泰社区居委会')
  await page.getByTestId('region-search').fill('东泰')
  await page.getByRole('button', { name: '搜索' }).click()
  await page.locator('[data-testid="region-results"]').getByText('东泰社区居委会', { exact: true }).first().waitFor()
    .catch(() => {
      throw new Error('区划搜索「东泰」的结果中没有「东泰社区居委会」')
    })
  await shot(page, '04-region-search')

  step('标签页：打开了 首页 与 区划管理，可关闭 区划管理')
  const tabs = page.getByTestId('tags-view').locator('.tags-item')
  assert.deepEqual((await tabs.allInnerTexts()).map((s) => s.trim()), ['首页', '区划管理'])
  await tabs.filter({ hasText: '区划管理' }).locator('.tags-close').click()
  await page.waitForURL((u) => u.pathname === '/index')
  assert.equal(await tabs.count(), 1, '关闭标签后应只剩 首页')

  step('手机宽度（375px）：侧边栏收进抽屉')
  await page.setViewportSize({ width: 375, height: 740 })
  await page.waitForTimeout(300)
  assert.equal(await page.locator('.sidebar-container').count(), 0, '手机宽度下不应显示固定侧边栏')
  await shot(page, '05-mobile-dashboard')
  await page.locator('.hamburger').click()
  const drawerMenu = page.locator('.sidebar-drawer .sidebar-menu')
  await drawerMenu.waitFor()
  await waitStill(page, '.sidebar-drawer')
  await shot(page, '06-mobile-drawer')
  await drawerMenu.locator('.el-sub-menu__title', { hasText: '系统管理' }).click()
  await drawerMenu.locator('.el-menu-item', { hasText: '区划管理' }).click()
  await page.waitForURL((u) => u.pathname === '/system/region')
  await tableRows(page, 'region-tree')
  await page.locator('.sidebar-drawer').waitFor({ state: 'hidden' })
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert.ok(overflow <= 1, `手机宽度下页面横向溢出 ${overflow}px`)
  await shot(page, '07-mobile-region')
  await page.setViewportSize({ width: 1366, height: 800 })

  step('退出登录回到登录页')
  await logout(page, '08-logout-confirm')
  await shot(page, '09-logged-out')

  step('退出后访问首页被引导到登录页')
  await page.goto(`${BASE_URL}/index`)
  await page.waitForURL((u) => u.pathname === '/login')
  await page.getByRole('button', { name: '登录' }).waitFor()

  step('会话失效（401）时回到登录页，登录后回到原页面')
  await login(page, USER, PASSWORD)
  await openMenu(page, '系统管理', '区划管理', '/system/region')
  await tableRows(page, 'region-tree')
  await context.clearCookies()
  await page.locator('.toolbar-right button').click()
  await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('redirect') === '/system/region')
  await page.locator('.el-message--warning').first().waitFor()
  await login(page, USER, PASSWORD, { stay: true })
  await page.waitForURL((u) => u.pathname === '/system/region')
})
