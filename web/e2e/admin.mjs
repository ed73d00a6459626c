// Admin-side browser test: 系统管理员 manages users, 审计员 reads and exports the audit log,
// 安全管理员 sees roles; each role is kept out of the pages it has no permission for.
//   SY_BASE_URL=http://127.0.0.1:8080 node e2e/admin.mjs
import assert from 'node:assert/strict'
import { BASE_URL, run, step, shot, waitStill, login, logout, openMenu, menuTitles, tableRows } from './lib.mjs'

const ADMIN = process.env.SY_E2E_ADMIN || 'admin'
const AUDITOR = process.env.SY_E2E_AUDITOR || 'auditor'
const SECURITY = process.env.SY_E2E_SECURITY || 'security'

async function expectForbidden(page, pathname) {
  await page.goto(`${BASE_URL}${pathname}`)
  await page.waitForURL((u) => u.pathname === '/403')
  await page.getByText('无权访问').first().waitFor()
}

async function dialog(page, title) {
  const d = page.locator('.el-dialog', { has: page.locator('.el-dialog__title', { hasText: title }) })
  await d.waitFor()
  await waitStill(page, `.el-dialog:has(.el-dialog__title:text("${title}"))`)
  return d
}

await run('admin', async ({ page }) => {
  // ---------------------------------------------------------------- 系统管理员
  step(`以 ${ADMIN}（系统管理员）登录`)
  await login(page, ADMIN)
  const adminMenu = await menuTitles(page)
  assert.ok(adminMenu.includes('系统管理'), `系统管理员应看到「系统管理」菜单，实际：${adminMenu.join('、')}`)

  step('用户管理：表格有数据')
  await openMenu(page, '系统管理', '用户管理', '/system/user')
  const userRows = await tableRows(page, 'user-table')
  assert.ok(userRows >= 1, '用户表为空')
  const tableText = await page.getByTestId('user-table').innerText()
  assert.ok(tableText.includes('fc_clerk'), '用户表中应有演示用户 fc_clerk')
  await shot(page, '11-admin-users')

  step('用户管理：新增用户')
  const uname = `e2e${Date.now().toString(36)}`
  await page.getByRole('button', { name: '新增' }).click()
  const create = await dialog(page, '新增用户')
  await create.getByPlaceholder('登录用的用户名').fill(uname)
  await create.getByPlaceholder('请输入姓名').fill('测试员')
  // Region: open the tree select, expand the county, pick 繁城镇.
  await create.locator('.region-select').click()
  const popper = page.locator('.region-select-popper:visible')
  await popper.locator('.el-tree-node').first().waitFor()
  await popper.locator('.el-tree-node__expand-icon').first().click()
  await popper.locator('.el-tree-node__content', { hasText: '繁城镇' }).first().click()
  await create.getByPlaceholder('用户首次登录后须修改').fill('Init#2026x')
  // Exactly one business role: 经办人.
  for (const box of await create.locator('.el-checkbox').all()) {
    const name = (await box.innerText()).trim()
    const checked = (await box.getAttribute('class')).includes('is-checked')
    if ((name === '经办人') !== checked) await box.click()
  }
  await page.waitForTimeout(300)
  await shot(page, '12-admin-user-create')
  await create.getByRole('button', { name: '确定' }).click()
  await create.waitFor({ state: 'hidden' })

  step('用户管理：按关键字查到新用户')
  await page.getByPlaceholder('用户名或姓名').fill(uname)
  await page.getByRole('button', { name: '搜索' }).click()
  const row = page.getByTestId('user-table').locator('tr.el-table__row', { hasText: uname })
  await row.waitFor()
  const rowText = await row.innerText()
  assert.ok(rowText.includes('繁城镇'), `新用户所属区划应为 繁城镇，实际行：${rowText}`)
  assert.ok(rowText.includes('经办人') && !rowText.includes('查看'), `新用户角色应只有 经办人，实际行：${rowText}`)

  step('刷新页面后（CSRF 令牌取自 GET /me）编辑姓名（带 version）')
  await page.reload()
  await page.getByPlaceholder('用户名或姓名').fill(uname)
  await page.getByRole('button', { name: '搜索' }).click()
  await row.waitFor()
  await row.getByRole('button', { name: '编辑' }).click()
  const edit = await dialog(page, '编辑用户')
  await edit.getByPlaceholder('请输入姓名').fill('测试员乙')
  await edit.getByRole('button', { name: '确定' }).click()
  await edit.waitFor({ state: 'hidden' })
  await page.getByTestId('user-table').locator('tr.el-table__row', { hasText: '测试员乙' }).waitFor()

  step('用户管理：停用与启用')
  await row.getByRole('button', { name: '停用' }).click()
  const dis = await dialog(page, '停用用户')
  await dis.locator('textarea').fill('端到端测试')
  await dis.getByRole('button', { name: '确定停用' }).click()
  await dis.waitFor({ state: 'hidden' })
  await row.getByRole('button', { name: '启用' }).waitFor()
  await shot(page, '13-admin-user-disabled')
  await row.getByRole('button', { name: '启用' }).click()
  await page.locator('.el-message-box').getByRole('button', { name: '确定' }).click()
  await row.getByRole('button', { name: '停用' }).waitFor()

  step('系统设置：网页导入行数上限改为 50000，保存后刷新仍在')
  await openMenu(page, '系统管理', '系统设置', '/system/settings')
  const rowsInput = page.getByTestId('setting-import_web_max_rows').locator('input')
  await rowsInput.waitFor()
  assert.equal(await rowsInput.inputValue(), '100000', '网页导入行数上限默认应为 100000')
  await rowsInput.fill('50000')
  await rowsInput.blur()
  await page.getByText('已修改，未保存').first().waitFor()
  await shot(page, '23-admin-settings')
  await page.getByTestId('settings-save').click()
  await page.locator('.el-message--success', { hasText: '系统设置已保存' }).waitFor()
  await page.reload()
  await rowsInput.waitFor()
  await page.waitForFunction(
    () => document.querySelector('[data-testid="setting-import_web_max_rows"] input')?.value === '50000')
  await rowsInput.fill('100000')
  await rowsInput.blur()
  await page.getByTestId('settings-save').click()
  await page.locator('.el-message--success', { hasText: '系统设置已保存' }).last().waitFor()

  step('系统管理员不能进入审计日志')
  if (!adminMenu.includes('审计日志')) {
    await expectForbidden(page, '/audit')
    await shot(page, '14-admin-audit-forbidden')
  }
  await logout(page)

  // ---------------------------------------------------------------- 新用户首次登录
  step(`新用户 ${uname} 首次登录须先修改密码`)
  await login(page, uname, 'Init#2026x', { expectPasswordChange: true })
  await page.getByText('请先修改密码').waitFor()
  await page.getByPlaceholder('请输入原密码').fill('Init#2026x')
  await page.getByPlaceholder('请输入新密码').fill('abc')
  await page.getByPlaceholder('请再次输入新密码').fill('abc')
  await page.getByRole('button', { name: '确定修改' }).click()
  const weak = page.locator('.change-password-form .form-error')
  await weak.waitFor()
  const weakText = (await weak.innerText()).trim()
  assert.match(weakText, /[\u4e00-\u9fff]/, `弱密码提示应为中文，实际：${weakText}`)
  console.log(`  弱密码提示：${weakText}`)
  await shot(page, '20-first-login-password')
  const goodPassword = 'New#2026pass'
  await page.getByPlaceholder('请输入新密码').fill(goodPassword)
  await page.getByPlaceholder('请再次输入新密码').fill(goodPassword)
  await page.getByRole('button', { name: '确定修改' }).click()
  await page.waitForURL((u) => u.pathname !== '/password' && u.pathname !== '/login' ? true : false, { timeout: 15000 })
    .catch(async () => {
      // A server that ends the session on password change sends us to log in again.
      if (new URL(page.url()).pathname !== '/login') throw new Error('修改密码后既没有进入系统，也没有回到登录页')
    })
  if (new URL(page.url()).pathname === '/login') await login(page, uname, goodPassword)
  await page.locator('[data-testid="user-menu"]').waitFor()
  await logout(page)

  // ---------------------------------------------------------------- 审计员
  step(`以 ${AUDITOR}（审计员）登录`)
  await login(page, AUDITOR)
  const auditorMenu = await menuTitles(page)
  assert.ok(auditorMenu.includes('审计日志'), `审计员应看到「审计日志」菜单，实际：${auditorMenu.join('、')}`)

  step('审计日志：表格有数据，能看到刚才的操作')
  await openMenu(page, null, '审计日志', '/audit')
  const auditRows = await tableRows(page, 'audit-table')
  assert.ok(auditRows >= 1, '审计日志表为空')
  await shot(page, '15-auditor-audit')

  step('审计日志：按用户名筛选并展开修改前后')
  await page.getByPlaceholder('操作人用户名').fill(ADMIN)
  await page.getByRole('button', { name: '搜索' }).click()
  await page.waitForFunction(
    (admin) => {
      const rows = [...document.querySelectorAll('[data-testid="audit-table"] .el-table__body-wrapper tbody tr.el-table__row')]
      return rows.length > 0 && rows.every((r) => r.innerText.includes(admin))
    },
    ADMIN,
    { timeout: 15000 },
  ).catch(() => {
    throw new Error(`按用户名 ${ADMIN} 筛选后，表中仍有其他用户的行或没有行`)
  })
  const updateRow = page.getByTestId('audit-table').locator('tr.el-table__row', { hasText: '修改用户' }).first()
  await updateRow.locator('.el-table__expand-icon').click()
  const detail = page.getByTestId('audit-table').locator('.audit-detail').first()
  await detail.waitFor()
  const detailText = await detail.innerText()
  assert.ok(detailText.includes('修改前') && detailText.includes('修改后'), '展开行应显示修改前/修改后')
  assert.ok(detailText.includes('测试员乙'), '修改后的 JSON 应包含新姓名「测试员乙」')
  await shot(page, '16-auditor-audit-expanded')

  step('审计日志：导出 xlsx')
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '导出' }).click(),
  ])
  const fname = download.suggestedFilename()
  assert.ok(fname.endsWith('.xlsx'), `导出文件名应以 .xlsx 结尾，实际：${fname}`)
  const file = await download.path()
  const fs = await import('node:fs')
  const head = fs.readFileSync(file).subarray(0, 2).toString('latin1')
  assert.equal(head, 'PK', '导出的文件不是 xlsx（zip）格式')
  console.log(`  导出：${fname}`)

  step('审计员不能进入用户管理')
  if (!auditorMenu.includes('系统管理')) {
    await expectForbidden(page, '/system/user')
  }
  await logout(page)

  // ---------------------------------------------------------------- 安全管理员
  step(`以 ${SECURITY}（安全管理员）登录，查看角色管理`)
  await login(page, SECURITY)
  await openMenu(page, '系统管理', '角色管理', '/system/role')
  const roleRows = await tableRows(page, 'role-table')
  assert.ok(roleRows >= 6, `角色表应至少有 6 个角色，实际 ${roleRows}`)
  await shot(page, '17-security-roles')
  const clerkRow = page.getByTestId('role-table').locator('tr.el-table__row', { hasText: 'clerk' })
  await clerkRow.getByRole('button', { name: '编辑权限' }).click()
  const perm = await dialog(page, '编辑权限')
  await shot(page, '18-security-role-edit')
  // Saving the same set exercises PUT /roles/{code} with the version as read.
  await perm.getByRole('button', { name: '确定' }).click()
  await perm.waitFor({ state: 'hidden' })
  await page.locator('.el-message--success', { hasText: '权限已更新' }).waitFor()

  step('安全管理员：用户管理里的分配角色')
  await openMenu(page, '系统管理', '用户管理', '/system/user')
  await tableRows(page, 'user-table')
  const viewerRow = page.getByTestId('user-table').locator('tr.el-table__row', { hasText: 'fc_viewer' })
  await viewerRow.getByRole('button', { name: '分配角色' }).click()
  const rd = await dialog(page, '分配角色')
  await shot(page, '19-security-assign-roles')
  await rd.getByRole('button', { name: '取消' }).click()
  await rd.waitFor({ state: 'hidden' })

  step(`安全管理员：${uname} 多次输错密码被锁定后解锁`)
  let locked = false
  for (let i = 0; i < 12 && !locked; i++) {
    const r = await page.request.post(`${BASE_URL}/api/v1/session`, { data: { username: uname, password: 'Wrong#pass1' } })
    const body = await r.json().catch(() => ({}))
    if (r.status() === 403 && body.error && body.error.code === 'account_locked') locked = true
    else if (r.status() !== 401) throw new Error(`输错密码时服务器返回 ${r.status()} ${JSON.stringify(body)}`)
  }
  assert.ok(locked, `连续输错 12 次密码后 ${uname} 仍未被锁定`)
  await page.getByPlaceholder('用户名或姓名').fill(uname)
  await page.getByRole('button', { name: '搜索' }).click()
  const lockedRow = page.getByTestId('user-table').locator('tr.el-table__row', { hasText: uname })
  await lockedRow.getByText('已锁定').waitFor()
  await shot(page, '21-security-user-locked')
  await lockedRow.getByRole('button', { name: '解锁' }).click()
  await page.locator('.el-message-box').getByRole('button', { name: '确定' }).click()
  await page.locator('.el-message--success', { hasText: '已解锁' }).waitFor()
  await lockedRow.getByText('已锁定').waitFor({ state: 'detached' })
  await logout(page)
})
