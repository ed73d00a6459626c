// 结对帮扶（一助一） browser test, as a township clerk would run a pair:
//   fc_clerk opens 结对帮扶（一助一）, reads the totals and the demo's pairs, pairs a garrison unit
//   with a demo household (an empty form is refused beside its fields), records funds (a negative
//   amount is refused) and a follow-up with the household's income, sees the pair's timeline and
//   income change, sees the totals change on the list, closes the pair (no more writes offered)
//   and sees the totals again; the list and the pair page at phone width.
//   SY_BASE_URL=http://127.0.0.1:8080 node e2e/assistance.mjs
// It adds a pair to the demo: use a throwaway demo database.
import assert from 'node:assert/strict'
import { BASE_URL, PASSWORD, run, step, shot, waitStill, login, logout, openMenu, tableRows } from './lib.mjs'

const CLERK = process.env.SY_E2E_USER || 'fc_clerk'
const MENU = '结对帮扶（一助一）'
const HELPER = `驻地某部通信连（${Date.now() % 100000}）`

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

/** "合计 1,234.56 元" → 123456 (fen), read as text, never through a float. */
function fenOf(text) {
  const m = /(-?[\d,]+)\.(\d{2})/.exec(text)
  assert.ok(m, `应含金额：${text}`)
  return Number(m[1].replace(/,/g, '')) * 100 + Number(m[2]) * (m[1].startsWith('-') ? -1 : 1)
}

/** The totals cards on the list: active pairs, closed pairs, funds (fen), labour days. */
async function totals(page) {
  await settled(page, 'pair-summary')
  await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="pair-stat-active"] .ps-value')?.innerText || ''))
  const active = Number((await page.getByTestId('pair-stat-active').locator('.ps-value').innerText()).trim())
  const closed = Number((await page.getByTestId('pair-stat-active').locator('.ps-sub').innerText()).match(/已结束 (\d+)/)[1])
  const funds = fenOf(await page.getByTestId('pair-stat-funds').locator('.ps-sub').innerText())
  const labour = Number((await page.getByTestId('pair-stat-labour').locator('.ps-value').innerText()).match(/\d+/)[0])
  return { active, closed, funds, labour }
}

/** Scrolls to the top and waits until the pop-up messages are gone (for a clean screenshot). */
async function quiet(page) {
  await page.locator('.app-main').evaluate((el) => el.scrollTo(0, 0))
  await page.waitForFunction(() => !document.querySelector('.el-message'), null, { timeout: 10000 })
  await page.waitForTimeout(200)
}

async function noHorizontalScroll(page, what) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert.ok(over <= 1, `${what}在手机宽度下不应横向溢出（多出 ${over}px）`)
}

async function timelineCount(page) {
  await page.getByTestId('pair-timeline').waitFor()
  return page.getByTestId('pair-timeline-item').count()
}

await run('assistance', async ({ page }) => {
  step(`以 ${CLERK} 登录，打开结对帮扶：统计和演示数据的帮扶对子`)
  await login(page, CLERK, PASSWORD)
  await openMenu(page, null, MENU, '/assistance/pairs')
  const rowCount = await tableRows(page, 'pair-table')
  assert.ok(rowCount >= 10, `演示数据应有约十二对帮扶对子，列表显示 ${rowCount} 行`)
  const before = await totals(page)
  assert.ok(before.active >= 1 && before.closed >= 1 && before.funds > 0, `演示统计应有在帮和已结束的对子：${JSON.stringify(before)}`)
  await quiet(page)
  await shot(page, '90-pairs-list')

  step('结对：空表单被拒，选择演示户和驻军单位后结对成功')
  await page.getByTestId('pair-create-open').click()
  let d = await dialog(page, '结对帮扶')
  await d.getByTestId('pair-create-submit').click()
  await d.locator('.el-form-item__error', { hasText: '请选择受助户' }).waitFor()
  await d.locator('.el-form-item__error', { hasText: '请选择帮扶项目' }).waitFor()
  await d.getByTestId('pair-household').locator('input').fill('wang')
  const option = page.locator('.pair-person-popper .el-select-dropdown__item:visible').first()
  await option.waitFor()
  const personName = (await option.locator('span').first().innerText()).trim()
  await option.click()
  await d.getByTestId('pair-helper-type').getByText('驻军单位').click()
  await d.getByTestId('pair-helper-name').fill(HELPER)
  await d.getByTestId('pair-helper-phone').fill('03503019999')
  await d.getByTestId('pair-project').click()
  await page.locator('.pair-project-popper .el-select-dropdown__item:visible', { hasText: '就业' }).click()
  await d.getByTestId('pair-description').fill('推荐到县城物流园区就业，部队协调岗前培训')
  await d.getByTestId('pair-baseline').fill('12000')
  await shot(page, '91-pair-create')
  await d.getByTestId('pair-create-submit').click()
  await page.waitForURL((u) => /^\/assistance\/pairs\/\d+$/.test(u.pathname))
  const pairUrl = page.url()
  await page.getByTestId('pair-title').waitFor()
  assert.ok((await page.getByTestId('pair-title').innerText()).includes(HELPER))
  assert.equal((await page.getByTestId('pair-detail').getByTestId('pair-status').innerText()).trim(), '帮扶中')
  assert.ok((await page.getByTestId('pair-detail').getByTestId('pair-household').innerText()).includes(personName), `受助户应含 ${personName}`)
  assert.equal(await timelineCount(page), 1)

  step('登记投入：负数金额被拒，3000.50 元资金登记成功')
  await page.getByTestId('pair-add-input').click()
  d = await dialog(page, '登记帮扶投入')
  await d.getByTestId('input-amount').fill('-5')
  await d.getByTestId('pair-input-submit').click()
  await d.locator('.el-form-item__error', { hasText: '不能为负数' }).waitFor()
  await d.getByTestId('input-amount').fill('3000.50')
  await d.getByTestId('input-description').fill('岗前培训和交通补助')
  await d.getByTestId('pair-input-submit').click()
  await d.waitFor({ state: 'hidden' })
  await page.waitForFunction(() => document.querySelector('[data-testid="pair-total-funds"]')?.innerText.includes('3,000.50'))

  step('登记回访：家庭年收入 15000 元，收入变化 +3000 元')
  await page.getByTestId('pair-add-follow-up').click()
  d = await dialog(page, '登记回访')
  await d.getByTestId('follow-note').fill('已在物流园上岗，月工资3000元')
  await d.getByTestId('follow-income').fill('15000')
  await d.getByTestId('pair-follow_up-submit').click()
  await d.waitFor({ state: 'hidden' })
  await page.getByTestId('pair-income-change').waitFor()
  assert.equal((await page.getByTestId('pair-income-change').innerText()).trim(), '增加 3,000.00 元')
  assert.equal(await timelineCount(page), 3)
  const kinds = (await page.getByTestId('pair-timeline').locator('.tl-action').allInnerTexts()).map((s) => s.trim())
  assert.deepEqual(kinds, ['结对', '帮扶投入', '回访'])
  await quiet(page)
  await shot(page, '92-pair-page')

  step('列表统计随之变化：在帮对子 +1，投入资金 +3000.50 元')
  await openMenu(page, null, MENU, '/assistance/pairs')
  await page.waitForFunction(
    (want) => Number(document.querySelector('[data-testid="pair-stat-active"] .ps-value')?.innerText) === want,
    before.active + 1,
  )
  const during = await totals(page)
  assert.equal(during.active, before.active + 1)
  assert.equal(during.funds, before.funds + 300050)
  assert.equal(during.labour, before.labour)
  await page.getByTestId('pair-search').fill(HELPER)
  await page.getByRole('button', { name: '搜索' }).click()
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="pair-table"] tbody tr.el-table__row').length === 1)
  await tableRows(page, 'pair-table')
  assert.equal((await page.getByTestId('pair-table').getByTestId('pair-helper').innerText()).trim(), HELPER)

  step('结束帮扶：填写成效后状态为已结束，不再提供登记')
  await page.goto(pairUrl)
  await page.getByTestId('pair-close').click()
  d = await dialog(page, '结束帮扶')
  await d.getByTestId('pair-close-submit').click()
  await d.locator('.el-form-item__error', { hasText: '请填写帮扶成效' }).waitFor()
  await d.getByTestId('close-outcome').fill('稳定就业，家庭年收入增加3000元')
  await d.getByTestId('pair-close-submit').click()
  await d.waitFor({ state: 'hidden' })
  await page.waitForFunction(() => document.querySelector('[data-testid="pair-detail"] [data-testid="pair-status"]')?.innerText.trim() === '已结束')
  assert.equal(await page.getByTestId('pair-add-input').count(), 0, '已结束的对子不应再能登记投入')
  assert.ok((await page.getByTestId('pair-outcome').innerText()).includes('稳定就业'))
  assert.equal(await timelineCount(page), 4)
  await quiet(page)
  await shot(page, '93-pair-closed')

  step('统计：在帮对子回到原数，已结束 +1')
  await page.getByRole('button', { name: '返回列表' }).click()
  await page.waitForURL((u) => u.pathname === '/assistance/pairs')
  await page.waitForFunction(
    (want) => Number(document.querySelector('[data-testid="pair-stat-active"] .ps-value')?.innerText) === want,
    before.active,
  )
  const after = await totals(page)
  assert.equal(after.closed, before.closed + 1)
  assert.equal(after.funds, before.funds + 300050)

  step('手机宽度：列表和帮扶对子页')
  await page.setViewportSize({ width: 375, height: 812 })
  await page.goto(`${BASE_URL}/assistance/pairs`)
  await page.getByTestId('pair-table').locator('[data-testid="pair-row"]').first().waitFor()
  await page.waitForTimeout(400)
  await noHorizontalScroll(page, '帮扶列表')
  await shot(page, '94-pairs-phone')
  await page.goto(pairUrl)
  await page.getByTestId('pair-timeline').waitFor()
  await page.waitForTimeout(400)
  await noHorizontalScroll(page, '帮扶对子页')
  await shot(page, '95-pair-phone')
  await page.setViewportSize({ width: 1366, height: 800 })
  await logout(page)
})
