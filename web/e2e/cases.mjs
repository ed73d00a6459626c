// 涉军维权与诉求台帐 browser test, as a township would handle a case:
//   fc_clerk sees the demo's overdue 涉军维权 case on 首页, opens the 涉军维权台帐 (filters by 逾期),
//   exports the ledger (.xlsx), registers a new case for a registry person picked by search (an
//   empty form is refused beside its fields), and is offered no 受理 (it needs cases:decide);
//   fc_lead accepts it and passes a hazard's 复查 (销号); fc_clerk assigns it (交办), uploads a picture and closes it (办结) with the
//   picture as evidence; a stale version (the case changed in another tab) reloads with a message;
//   fc_clerk closes the overdue demo case too, sees both as 已办结 in the list, and 首页's overdue
//   list no longer has it; the list and the case page at phone width.
//   SY_BASE_URL=http://127.0.0.1:8080 node e2e/cases.mjs
// It changes the demo's cases: use a throwaway demo database.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { BASE_URL, PASSWORD, run, step, shot, waitStill, login, logout, openMenu, tableRows } from './lib.mjs'

const CLERK = process.env.SY_E2E_USER || 'fc_clerk'
const LEAD = process.env.SY_E2E_LEAD || 'fc_lead'
const GROUP = '涉军维权'
const TITLE = `伤残抚恤金调整后未补发差额（${Date.now() % 100000}）`
// A 1×1 PNG, uploaded as the 办结 evidence.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)

async function dialog(page, title) {
  const d = page.locator('.el-dialog', { has: page.locator('.el-dialog__title', { hasText: title }) })
  await d.waitFor()
  await waitStill(page, `.el-dialog:has(.el-dialog__title:text("${title}"))`)
  return d
}

async function settled(page, testid) {
  await page.getByTestId(testid).first().waitFor()
  await page.waitForFunction(
    (id) => [...document.querySelectorAll(`[data-testid="${id}"] .el-loading-mask`)].every((m) => !m.offsetParent),
    testid,
  )
}

async function caseStatus(page) {
  return (await page.getByTestId('case-detail').getByTestId('case-status').innerText()).trim()
}

async function stepButtons(page) {
  await page.getByTestId('case-actions').waitFor()
  return (await page.getByTestId('case-actions').locator('button').allInnerTexts()).map((s) => s.trim()).filter((s) => s !== '返回台帐')
}

/** Clicks a next-step button, fills its dialog's fields and waits for the new status. */
async function doStep(page, action, name, fill, expectStatus, shotName = '') {
  await page.getByTestId(`case-step-${action}`).click()
  const d = await dialog(page, name)
  if (fill) await fill(d)
  if (shotName) await shot(page, shotName)
  await d.getByTestId('case-step-submit').click()
  await d.waitFor({ state: 'hidden' })
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid="case-detail"] [data-testid="case-status"]')?.innerText.trim() === want,
    expectStatus,
  )
}

/** Scrolls to the top and waits until the pop-up messages are gone (for a clean screenshot). */
async function quiet(page) {
  await page.locator('.app-main').evaluate((el) => el.scrollTo(0, 0))
  await page.waitForFunction(() => !document.querySelector('.el-message'), null, { timeout: 10000 })
  await page.waitForTimeout(200)
}

async function overdueTitles(page) {
  await settled(page, 'case-dashboard')
  await page.getByTestId('case-overdue').waitFor()
  return (await page.getByTestId('case-overdue').locator('[data-testid="overdue-title"]').allInnerTexts()).map((s) => s.trim())
}

async function noHorizontalScroll(page, what) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert.ok(over <= 1, `${what}在手机宽度下不应横向溢出（多出 ${over}px）`)
}

await run('cases', async ({ page }) => {
  // ------------------------------------------------------------------ 首页 and the ledger (fc_clerk)
  step(`以 ${CLERK} 登录，首页显示诉求统计和逾期清单`)
  await login(page, CLERK, PASSWORD)
  await page.goto(`${BASE_URL}/index`)
  const before = await overdueTitles(page)
  const overdueCount = Number((await page.getByTestId('case-count-overdue').innerText()).match(/\d+/)[0])
  assert.ok(overdueCount >= 1 && before.length >= 1, `演示数据应有逾期诉求，首页显示 ${overdueCount} 件`)
  await page.getByTestId('case-dashboard').scrollIntoViewIfNeeded()
  await page.waitForTimeout(300)
  await shot(page, '80-dashboard-cases')

  step('涉军维权台帐：按逾期筛选，找到演示数据中逾期的维权诉求')
  await openMenu(page, GROUP, '涉军维权台帐', '/cases/rights')
  await tableRows(page, 'case-table')
  await page.getByTestId('filter-deadline').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '逾期' }).click()
  await page.waitForTimeout(300)
  await tableRows(page, 'case-table')
  const overdueRows = page.getByTestId('case-table').locator('tbody tr.el-table__row')
  const overdueTitle = (await overdueRows.first().getByTestId('case-title').innerText()).trim()
  assert.equal((await overdueRows.first().getByTestId('case-deadline').innerText()).trim(), '逾期')
  assert.ok(before.includes(overdueTitle), `逾期的维权诉求「${overdueTitle}」应在首页逾期清单中：${before.join('、')}`)
  await shot(page, '81-ledger-overdue')

  step('导出台帐 .xlsx')
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('case-export').click()])
  const xlsx = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sy-cases-')), dl.suggestedFilename())
  await dl.saveAs(xlsx)
  assert.match(dl.suggestedFilename(), /\.xlsx$/)
  assert.equal(fs.readFileSync(xlsx).subarray(0, 2).toString(), 'PK', '导出的应为 xlsx 文件')

  step('登记：空表单被拒，选择优抚对象后登记成功')
  await page.getByRole('button', { name: '重置' }).click()
  await page.getByTestId('case-create-open').click()
  let d = await dialog(page, '登记涉军维权')
  await d.getByTestId('case-create-submit').click()
  await d.locator('.el-form-item__error', { hasText: '请选择类别' }).waitFor()
  await d.locator('.el-form-item__error', { hasText: '请选择优抚对象' }).waitFor()
  await d.getByTestId('case-category').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '抚恤优待' }).click()
  await d.getByTestId('case-title-input').fill(TITLE)
  await d.getByTestId('case-description').fill('伤残等级调整后，抚恤金仍按原等级发放，差额未补发。')
  await d.getByTestId('case-person').locator('input').fill('wang')
  const option = page.locator('.case-person-popper .el-select-dropdown__item:visible').first()
  await option.waitFor()
  const personName = (await option.locator('span').first().innerText()).trim()
  await option.click()
  await d.locator('.region-select .el-select__placeholder:not(.is-transparent)').waitFor()
  await shot(page, '82-case-create')
  await d.getByTestId('case-create-submit').click()
  await page.waitForURL((u) => /^\/cases\/case\/\d+$/.test(u.pathname))
  const caseUrl = page.url()
  await page.getByTestId('case-title').waitFor()
  assert.equal((await page.getByTestId('case-detail').getByTestId('case-title').innerText()).trim(), TITLE)
  assert.equal(await caseStatus(page), '已登记')
  assert.ok((await page.getByTestId('case-fields').innerText()).includes(personName), `诉求人应为 ${personName}`)
  assert.deepEqual(await stepButtons(page), [], '经办人不能受理（需业务管理员）')
  await logout(page)

  // ------------------------------------------------------------------ 受理 (fc_lead)
  step(`以 ${LEAD} 登录并受理`)
  await login(page, LEAD, PASSWORD)
  await page.goto(caseUrl)
  await page.getByTestId('case-step-accept').waitFor()
  const leadSteps = await stepButtons(page)
  assert.ok(leadSteps.includes('受理') && leadSteps.includes('不予受理'), `业务管理员应能受理或不予受理：${leadSteps}`)
  await doStep(page, 'accept', '受理', (dd) => dd.getByTestId('step-field-note').locator('textarea').fill('情况属实，予以受理'), '已受理')

  step('安全隐患台帐：复查通过即销号')
  await openMenu(page, GROUP, '安全隐患台帐', '/cases/hazard')
  await tableRows(page, 'case-table')
  await page.getByTestId('case-table').locator('tbody tr.el-table__row', { hasText: '待复查' }).first().click()
  await page.getByTestId('case-step-review').waitFor()
  await doStep(
    page,
    'review',
    '复查',
    async (dd) => {
      assert.equal(await dd.getByTestId('step-field-due_date').count(), 0, '复查通过时不要求新的整改时限')
      await dd.getByText('不通过').click()
      await dd.getByTestId('step-field-due_date').waitFor()
      await dd.getByText('通过', { exact: true }).click()
      await dd.getByTestId('step-field-note').locator('textarea').fill('线路已更换到位，复查通过')
    },
    '已销号',
  )
  await logout(page)

  // ------------------------------------------------------------------ 交办, attachment, 办结 (fc_clerk)
  step(`以 ${CLERK} 登录，交办`)
  await login(page, CLERK, PASSWORD)
  await page.goto(caseUrl)
  await page.getByTestId('case-step-assign').waitFor()
  assert.deepEqual(await stepButtons(page), ['交办'])
  await doStep(
    page,
    'assign',
    '交办',
    async (dd) => {
      await dd.getByTestId('step-field-department').locator('input').fill('县退役军人事务局')
      await dd.getByTestId('step-field-handler').locator('input').fill('王芳')
    },
    '办理中',
    '83-case-assign',
  )
  assert.ok((await page.getByTestId('case-fields').innerText()).includes('县退役军人事务局'))

  step('上传佐证图片')
  const png = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sy-cases-')), '补发凭证.png')
  fs.writeFileSync(png, PNG)
  await page.getByTestId('case-file-input').setInputFiles(png)
  await page.getByTestId('case-attachments').getByText('补发凭证.png').waitFor()
  const [adl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('case-attachment').first().click()])
  assert.equal(adl.suggestedFilename(), '补发凭证.png')
  const back = path.join(path.dirname(png), 'downloaded.png')
  await adl.saveAs(back)
  assert.ok(fs.readFileSync(back).equals(PNG), '下载的附件应与上传的相同')

  step('旧版本被拒（他处已修改）：重新加载并提示')
  const id = caseUrl.match(/(\d+)$/)[1]
  await page.getByTestId('case-step-note').click()
  d = await dialog(page, '办理记录')
  await d.getByTestId('step-field-note').locator('textarea').fill('与县局核对补发名单')
  // Meanwhile someone else adds a 办理记录 in another tab.
  const changed = await page.evaluate(async (caseId) => {
    const me = await (await fetch('/api/v1/me')).json()
    const c = await (await fetch(`/api/v1/cases/${caseId}`)).json()
    const r = await fetch(`/api/v1/cases/${caseId}/actions/note`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
      body: JSON.stringify({ version: c.version, note: '电话联系县局' }),
    })
    return r.status
  }, id)
  assert.equal(changed, 200)
  await d.getByTestId('case-step-submit').click()
  await page.locator('.el-message', { hasText: '已重新加载' }).waitFor()
  await page.getByTestId('case-timeline').getByText('电话联系县局').waitFor()

  step('办结，附佐证')
  await doStep(
    page,
    'resolve',
    '办结',
    async (dd) => {
      await dd.getByTestId('step-field-result').locator('textarea').fill('已按调整后等级补发差额 3 个月，共 2,460 元')
      await dd.getByTestId('step-field-evidence_ids').getByText('补发凭证.png').click()
    },
    '已办结',
  )
  assert.ok((await page.getByTestId('case-result').innerText()).includes('补发差额'))
  assert.ok((await page.getByTestId('case-timeline').innerText()).includes('办结'))
  assert.deepEqual(await stepButtons(page), ['回访'], '办结后只能回访')
  await quiet(page)
  await shot(page, '84-case-resolved')

  step(`办结逾期的「${overdueTitle}」`)
  await page.goto(`${BASE_URL}/index`)
  await overdueTitles(page)
  await page.getByTestId('case-overdue').locator('tr', { hasText: overdueTitle }).locator('a').click()
  await page.waitForURL((u) => /^\/cases\/case\/\d+$/.test(u.pathname))
  await page.getByTestId('case-step-resolve').waitFor()
  assert.equal((await page.getByTestId('case-detail').getByTestId('case-deadline').innerText()).trim(), '逾期')
  await doStep(page, 'resolve', '办结', (dd) => dd.getByTestId('step-field-result').locator('textarea').fill('银行账户已更正，两个月抚恤金已补发到账'), '已办结')

  step('台帐中两件均为已办结')
  await openMenu(page, GROUP, '涉军维权台帐', '/cases/rights')
  await page.getByTestId('case-search').fill('抚恤金')
  await page.getByRole('button', { name: '搜索' }).click()
  await page.waitForTimeout(300)
  await tableRows(page, 'case-table')
  for (const t of [TITLE, overdueTitle]) {
    const row = page.getByTestId('case-table').locator('tbody tr.el-table__row', { hasText: t })
    assert.equal((await row.getByTestId('case-status').innerText()).trim(), '已办结', `「${t}」应为已办结`)
  }
  await quiet(page)
  await shot(page, '85-ledger-resolved')

  step('首页逾期清单不再有它')
  await page.goto(`${BASE_URL}/index`)
  const after = await overdueTitles(page)
  assert.ok(!after.includes(overdueTitle), `「${overdueTitle}」办结后不应在逾期清单中：${after.join('、')}`)
  const overdueAfter = Number((await page.getByTestId('case-count-overdue').innerText()).match(/\d+/)[0])
  assert.equal(overdueAfter, overdueCount - 1)
  await page.getByTestId('case-dashboard').scrollIntoViewIfNeeded()
  await page.waitForTimeout(300)
  await shot(page, '86-dashboard-after')

  step('手机宽度的台帐和诉求页')
  await page.setViewportSize({ width: 375, height: 812 })
  await page.goto(`${BASE_URL}/cases/rights`)
  await page.getByTestId('case-table').locator('[data-testid="case-row"]').first().waitFor()
  await page.waitForTimeout(400)
  await noHorizontalScroll(page, '台帐')
  await shot(page, '87-mobile-ledger')
  await page.goto(caseUrl)
  await page.getByTestId('case-timeline').waitFor()
  await page.waitForTimeout(400)
  await noHorizontalScroll(page, '诉求页')
  await shot(page, '88-mobile-case')
  await page.setViewportSize({ width: 1366, height: 800 })
  await logout(page)
})
