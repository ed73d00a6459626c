// 走访慰问 browser test, on a phone (375 px wide) as the issue asks, then the same pages on a desk:
//   fc_clerk creates a 春节 campaign with two target groups (烈士遗属, 残疾军人 — a group without any
//   condition is refused first), generates it, assigns every target in the township to himself in
//   one go, opens 我的走访, records a visit with a photo taken (a real PNG made here) and a 困难诉求,
//   sees the campaign's coverage rise from 0, opens the visit record (the photo loads), and
//   downloads the 签收表 (a real .xlsx naming the visited household).
//   SY_BASE_URL=http://127.0.0.1:8080 node e2e/visits.mjs
// It adds a campaign and a visit to the demo data: use a throwaway demo database.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { BASE_URL, PASSWORD, run, step, shot, waitStill, login, logout } from './lib.mjs'

const CLERK = process.env.SY_E2E_USER || 'fc_clerk'
const STAMP = Date.now() % 100000
const PHONE = { width: 375, height: 812 }
const DESK = { width: 1366, height: 800 }
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-visits-'))

// ---------------------------------------------------------------- a real photo (PNG, 64×48)
function crc32(buf) {
  let c = ~0
  for (const b of buf) {
    c ^= b
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1
  }
  return ~c >>> 0
}
function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(td))
  return Buffer.concat([len, td, crc])
}
function makePng(w, h) {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // RGB
  const raw = Buffer.alloc((w * 3 + 1) * h)
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0
    for (let x = 0; x < w; x++) {
      const o = y * (w * 3 + 1) + 1 + x * 3
      raw[o] = 200 + ((x * 55) / w) | 0 // a red-to-warm gradient, like a 春联
      raw[o + 1] = (40 + (y * 120) / h) | 0
      raw[o + 2] = 40
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}
const PHOTO = path.join(tmp, '走访合影.png')
fs.writeFileSync(PHOTO, makePng(64, 48))

// ---------------------------------------------------------------- helpers
function ymd(offsetDays) {
  const d = new Date(Date.now() + offsetDays * 86400000)
  const p = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

async function dialog(page, title) {
  const d = page.locator('.el-dialog', { has: page.locator('.el-dialog__title', { hasText: title }) })
  await d.waitFor()
  await waitStill(page, `.el-dialog:has(.el-dialog__title:text("${title}"))`)
  return d
}

/** Opens a sidebar entry the way a phone user does: the menu button, the group, the item. */
async function phoneMenu(page, group, item, pathname) {
  await page.locator('.hamburger').click()
  const drawer = page.locator('.sidebar-drawer')
  await drawer.waitFor()
  const entry = drawer.locator('.el-menu-item', { hasText: item })
  if (!(await entry.isVisible())) await drawer.locator('.el-sub-menu__title', { hasText: group }).click()
  await entry.click()
  await page.waitForURL((u) => u.pathname === pathname)
  await drawer.waitFor({ state: 'hidden' })
}

async function settled(page, testid) {
  await page.getByTestId(testid).first().waitFor()
  await page.waitForFunction(
    (id) => [...document.querySelectorAll(`[data-testid="${id}"] .el-loading-mask`)].every((m) => !m.offsetParent),
    testid,
  )
}

/** The text box of an Element Plus field carrying data-testid (el-input puts it on the box itself). */
function inputOf(scope, testid) {
  const t = `[data-testid="${testid}"]`
  return scope.locator(`input${t}, textarea${t}, ${t} input:not([type="file"]), ${t} textarea`).first()
}

/** Closes an open dropdown or date panel by clicking the dialog's title (Escape would close the dialog). */
async function closePopper(d) {
  await d.locator('.el-dialog__title').click()
  await d.page().waitForTimeout(250)
}

async function pickDate(d, testid, value) {
  const input = inputOf(d, testid)
  await input.click()
  await input.fill(value)
  await input.press('Enter')
  await closePopper(d)
  assert.equal(await input.inputValue(), value, `日期 ${testid} 应为 ${value}`)
}

async function pickOption(page, text) {
  const option = page.locator('.el-select-dropdown__item:visible', { hasText: text }).first()
  await option.click()
}

async function noHorizontalScroll(page, what) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert.ok(over <= 1, `${what}在手机宽度下不应横向溢出（多出 ${over}px）`)
}

async function quiet(page) {
  await page.locator('.app-main').evaluate((el) => el.scrollTo(0, 0))
  await page.waitForFunction(() => !document.querySelector('.el-message'), null, { timeout: 10000 })
  await page.waitForTimeout(200)
}

async function cardNumber(page, testid) {
  const t = (await page.getByTestId(testid).innerText()).trim()
  const m = t.match(/[\d.]+/)
  assert.ok(m, `卡片 ${testid} 应显示数字，实际「${t}」`)
  return Number(m[0])
}

async function openCampaign(page, url) {
  await page.goto(url)
  await page.getByTestId('campaign-title').waitFor()
  await settled(page, 'target-table')
}

await run('visits', async ({ page }) => {
  const NAME = `${new Date().getFullYear()}年春节走访慰问（测试${STAMP}）`

  // ---------------------------------------------------------------- phone: create, generate, assign
  await page.setViewportSize(PHONE)
  step(`以 ${CLERK} 在手机宽度（375px）登录，从菜单进入走访慰问活动列表`)
  await login(page, CLERK, PASSWORD)
  await phoneMenu(page, '走访慰问', '活动列表', '/visits/campaigns')
  await settled(page, 'campaign-table')
  await noHorizontalScroll(page, '活动列表')

  step('新增活动：春节，两个对象组；没有条件的对象组被拒')
  await page.getByTestId('campaign-create-open').click()
  const form = await dialog(page, '新增走访慰问活动')
  await form.getByTestId('campaign-occasion').getByText('春节').click()
  await inputOf(form, 'campaign-name-input').fill(NAME)
  await pickDate(form, 'campaign-start', ymd(-5))
  await pickDate(form, 'campaign-end', ymd(20))
  await inputOf(form, 'campaign-budget').fill('20000')
  await form.getByTestId('campaign-submit').click()
  await form.locator('.el-alert', { hasText: '没有任何条件' }).waitFor()

  await form.getByTestId('group-0-categories').click()
  await pickOption(page, '烈士遗属')
  await closePopper(form)
  assert.equal(await inputOf(form, 'group-0-name').inputValue(), '烈士遗属', '选择类别后组名应自动填入')
  await inputOf(form, 'group-0-cash').fill('500')
  await inputOf(form, 'group-0-gifts').fill('米面油一份')
  await form.getByTestId('group-add').click()
  await form.getByTestId('group-1-categories').click()
  await pickOption(page, '残疾军人')
  await closePopper(form)
  await inputOf(form, 'group-1-cash').fill('300')
  await inputOf(form, 'group-1-gifts').fill('慰问品一份')
  await form.getByTestId('group-1').scrollIntoViewIfNeeded()
  await page.waitForTimeout(300)
  await shot(page, '90-visits-mobile-form')
  await form.getByTestId('campaign-submit').click()
  await page.waitForURL((u) => /^\/visits\/campaigns\/\d+$/.test(u.pathname))
  const campaignUrl = page.url()
  await page.getByTestId('campaign-title').waitFor()
  assert.equal((await page.getByTestId('campaign-title').innerText()).trim(), NAME)
  assert.equal((await page.getByTestId('campaign-status').innerText()).trim(), '草稿')
  await quiet(page)
  await shot(page, '90-visits-mobile-draft')
  const groupsText = await page.getByTestId('campaign-groups').innerText()
  assert.ok(groupsText.includes('烈士遗属') && groupsText.includes('残疾军人') && groupsText.includes('500.00'), `对象组应列出两组及标准：${groupsText}`)

  step('生成走访对象')
  await page.getByTestId('campaign-generate').click()
  await page.locator('.el-message-box').getByRole('button', { name: '生成' }).click()
  await page.waitForFunction(() => document.querySelector('[data-testid="campaign-status"]')?.innerText.trim() === '进行中')
  await settled(page, 'target-table')
  const targets = await cardNumber(page, 'card-targets')
  assert.ok(targets >= 2, `演示数据中应有烈士遗属和残疾军人，生成了 ${targets} 户`)
  assert.equal(await cardNumber(page, 'card-visited'), 0)
  assert.equal((await page.getByTestId('card-coverage').innerText()).trim(), '0%')
  const firstCards = await page.getByTestId('target-table').getByTestId('target-row').allInnerTexts()
  assert.ok(firstCards.length >= 1 && firstCards.every((t) => t.includes('未走访') && t.includes('未指派')), '生成后的对象应为未走访、未指派')
  assert.ok(firstCards.some((t) => /烈士遗属|残疾军人/.test(t)), `走访对象应属于两个对象组：${firstCards[0]}`)
  await quiet(page)
  await noHorizontalScroll(page, '活动页')
  await shot(page, '91-visits-mobile-generated')

  step('批量指派：整个乡镇的对象指派给自己')
  await page.getByTestId('target-assign').click()
  const assign = await dialog(page, '指派走访')
  assert.equal(await assign.getByTestId('assign-scope').locator('.el-radio.is-checked').innerText(), '按村(社区)全部', '没有勾选时应按村指派')
  await assign.locator('.region-select').click()
  const root = page.locator('.region-select-popper:visible .el-tree-node__content').first()
  await root.waitFor()
  const rootName = (await root.innerText()).trim().split(/\s+/)[0]
  await root.click()
  await closePopper(assign)
  await assign.getByTestId('assign-user').click()
  await pickOption(page, '（我）')
  await closePopper(assign)
  await page.waitForTimeout(300)
  await shot(page, '92-visits-mobile-assign')
  await assign.getByTestId('assign-submit').click()
  const msg = page.locator('.el-message', { hasText: '已指派' })
  await msg.waitFor()
  const assigned = Number((await msg.innerText()).match(/\d+/)[0])
  assert.equal(assigned, targets, `按「${rootName}」指派应覆盖全部 ${targets} 户，实际 ${assigned}`)
  await settled(page, 'target-table')
  await page.waitForFunction(() =>
    [...document.querySelectorAll('[data-testid="target-row"]')].every((r) => !r.innerText.includes('未指派')),
  )

  // ---------------------------------------------------------------- phone: 我的走访, record a visit
  step('我的走访：本活动的对象都在')
  await phoneMenu(page, '走访慰问', '我的走访', '/visits/mine')
  await settled(page, 'mine-list')
  const mine = page.getByTestId('mine-row').filter({ hasText: NAME })
  await mine.first().waitFor()
  const mineCount = Number((await page.getByTestId('mine-count').innerText()).match(/\d+/)[0])
  assert.ok(mineCount >= Math.min(targets, 1), `我的走访应列出待走访的对象，显示 ${mineCount}`)
  const row = mine.first()
  const who = (await row.getByTestId('mine-name').innerText()).trim()
  const rowText = await row.innerText()
  const standard = rowText.includes('烈士遗属') && rowText.includes('500.00') ? '500' : '300'
  await noHorizontalScroll(page, '我的走访')
  await quiet(page)
  await shot(page, '93-visits-mobile-mine')

  step(`记录走访「${who}」：拍照、慰问金按标准、家属反映、困难诉求`)
  await row.getByTestId('mine-record').click()
  const vf = await dialog(page, '记录走访')
  assert.equal((await vf.getByTestId('visit-target-name').innerText()).trim(), who)
  assert.equal(Number(await inputOf(vf, 'visit-cash').inputValue()), Number(standard), '慰问金应按对象组标准预填')
  assert.ok((await inputOf(vf, 'visit-visitors').inputValue()).length > 0, '走访人应预填为本人')
  // Over the standard needs a note; back to the standard it does not.
  await inputOf(vf, 'visit-cash').fill(String(Number(standard) + 200))
  await inputOf(vf, 'visit-cash').blur()
  await vf.getByTestId('visit-cash-note').waitFor()
  await inputOf(vf, 'visit-cash').fill(standard)
  await inputOf(vf, 'visit-cash').blur()
  await vf.getByTestId('visit-cash-note').waitFor({ state: 'detached' })
  const capture = vf.locator('input[type="file"][capture]')
  assert.equal(await capture.getAttribute('accept'), 'image/*', '拍照按钮应打开相机（accept="image/*" capture）')
  await capture.setInputFiles(PHOTO)
  await vf.getByTestId('visit-photo').first().waitFor()
  assert.equal(await vf.getByTestId('visit-photo').count(), 1)
  await inputOf(vf, 'visit-gifts').fill('米面油一份、春联')
  await inputOf(vf, 'visit-family-said').fill('老人身体尚可，希望解决看病报销')
  await vf.getByTestId('visit-need').click()
  await inputOf(vf, 'visit-need-title').fill(`看病报销困难（测试${STAMP}）`)
  await inputOf(vf, 'visit-need-description').fill('走访中反映：慢性病门诊报销比例低，自付较多。')
  await vf.getByTestId('visit-photos').scrollIntoViewIfNeeded()
  await page.waitForTimeout(300)
  await noHorizontalScroll(page, '走访表单')
  await shot(page, '94-visits-mobile-record')
  await vf.getByTestId('visit-submit').click()
  await page.locator('.el-message', { hasText: '走访记录已保存' }).waitFor()
  await vf.waitFor({ state: 'hidden' })
  await settled(page, 'mine-list')
  assert.equal(await page.getByTestId('mine-row').filter({ hasText: NAME }).filter({ hasText: who }).count(), 0, '已走访的对象应离开“待走访”')

  // ---------------------------------------------------------------- coverage rises; the record; 签收表
  step('活动页：覆盖率上升，慰问金支出计入')
  await openCampaign(page, campaignUrl)
  assert.equal(await cardNumber(page, 'card-visited'), 1, '已走访应为 1 户')
  const coverage = await cardNumber(page, 'card-coverage')
  assert.ok(coverage > 0, `覆盖率应高于 0，实际 ${coverage}%`)
  assert.ok(Math.abs(coverage - Math.round((1000 / targets)) / 10) < 0.11, `覆盖率应为 1/${targets}，实际 ${coverage}%`)
  assert.equal(await cardNumber(page, 'card-spent'), Number(standard), '慰问金支出应为本次发放的金额')
  const visitedCard = page.getByTestId('target-row').filter({ hasText: who }).filter({ hasText: '已走访' })
  await inputOf(page, 'target-search').fill(who)
  await inputOf(page, 'target-search').press('Enter')
  await visitedCard.first().waitFor()
  await quiet(page)
  await shot(page, '95-visits-mobile-coverage')

  step('走访记录：照片能打开，困难诉求已登记')
  await visitedCard.first().getByRole('button', { name: '走访记录' }).click()
  const vv = await dialog(page, `走访记录：${who}`)
  await vv.getByTestId('visit-record').first().waitFor()
  const img = vv.getByTestId('visit-photo-img').first()
  await img.waitFor()
  await page.waitForFunction(() => {
    const i = document.querySelector('[data-testid="visit-photo-img"]')
    return i && i.complete && i.naturalWidth > 0
  })
  assert.equal(await img.evaluate((i) => i.naturalWidth), 64, '照片应与上传的相同（64×48）')
  assert.equal((await vv.getByTestId('visit-outcome-tag').first().innerText()).trim(), '已走访')
  await vv.getByTestId('visit-case-link').waitFor()
  await shot(page, '96-visits-mobile-record-view')

  step('困难诉求与走访互相链接')
  await vv.getByTestId('visit-case-link').click()
  await page.waitForURL((u) => /^\/cases\/case\/\d+$/.test(u.pathname))
  await page.getByTestId('case-source').waitFor()
  assert.equal((await page.getByTestId('case-source').innerText()).trim(), NAME, '诉求页应写明来自本次走访慰问活动')
  assert.ok((await page.getByTestId('case-detail').innerText()).includes(`看病报销困难（测试${STAMP}）`))
  await page.getByTestId('case-source').click()
  await page.waitForURL((u) => u.href === campaignUrl)
  await page.getByTestId('campaign-title').waitFor()

  step('再次走访：不是图片的照片被拒；未勾选补访被拒；勾选补访后保存')
  await page.goto(campaignUrl)
  await page.getByTestId('campaign-title').waitFor()
  await settled(page, 'target-table')
  await inputOf(page, 'target-search').fill(who)
  await inputOf(page, 'target-search').press('Enter')
  const again = page.getByTestId('target-row').filter({ hasText: who }).filter({ hasText: '已走访' }).first()
  await again.waitFor()
  await again.getByRole('button', { name: '补访' }).click()
  const rv = await dialog(page, '记录走访')
  const revisit = rv.getByTestId('visit-revisit')
  assert.ok((await revisit.getAttribute('class')).includes('is-checked'), '已走访的户再次记录时应预先勾选补访')
  assert.equal(Number(await inputOf(rv, 'visit-cash').inputValue()), 0, '补访不应预填慰问金')
  const fake = path.join(tmp, '假照片.jpg')
  fs.writeFileSync(fake, '这不是一张照片，只是文字')
  await rv.locator('input[type="file"][capture]').setInputFiles(fake)
  await rv.getByTestId('visit-photo').first().waitFor()
  await inputOf(rv, 'visit-family-said').fill('春节前再次上门，送去药品')
  await rv.getByTestId('visit-submit').click()
  const photoError = rv.locator('.photo-item .el-form-item__error')
  await photoError.waitFor()
  assert.match(await photoError.innerText(), /照片|图片|JPEG|PNG/i, '不是图片的照片应在照片处报错')
  await rv.getByTestId('visit-photo').first().locator('.photo-remove').click()
  await revisit.click()
  await rv.getByTestId('visit-submit').click()
  await rv.getByTestId('visit-form-error').waitFor()
  assert.ok((await rv.getByTestId('visit-form-error').innerText()).includes('补访'), '同一户再次走访未勾选补访应被拒，并提示勾选补访')
  await shot(page, '96a-visits-mobile-revisit-refused')
  await revisit.click()
  await rv.getByTestId('visit-submit').click()
  await page.locator('.el-message', { hasText: '走访记录已保存' }).waitFor()
  await rv.waitFor({ state: 'hidden' })
  assert.equal(await cardNumber(page, 'card-visited'), 1, '补访不重复计入已走访')
  await again.getByRole('button', { name: '走访记录' }).click()
  const vv2 = await dialog(page, `走访记录：${who}`)
  await vv2.getByTestId('visit-record').nth(1).waitFor()
  assert.equal(await vv2.getByTestId('visit-record').count(), 2, '应有两条走访记录')
  assert.ok((await vv2.innerText()).includes('补访'))
  await vv2.getByRole('button', { name: '关闭', exact: true }).click()
  await vv2.waitFor({ state: 'hidden' })

  step('下载签收表（.xlsx）')
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('campaign-signature').click()])
  assert.match(dl.suggestedFilename(), /\.xlsx$/, `签收表应为 .xlsx：${dl.suggestedFilename()}`)
  const xlsx = path.join(tmp, 'sign.xlsx')
  await dl.saveAs(xlsx)
  const bytes = fs.readFileSync(xlsx)
  assert.equal(bytes.subarray(0, 2).toString(), 'PK', '签收表应为 xlsx（zip）文件')
  assert.ok(bytes.length > 2000 && bytes.length < 5 * 1024 * 1024, `签收表大小不合理：${bytes.length} 字节`)
  const xml = execFileSync('unzip', ['-p', xlsx], { maxBuffer: 64 * 1024 * 1024 }).toString('utf8')
  assert.ok(xml.includes(who), `签收表中应有「${who}」`)
  assert.ok(xml.includes('签'), '签收表应有签字栏')
  const [rdl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('campaign-roster').click()])
  const roster = path.join(tmp, 'roster.xlsx')
  await rdl.saveAs(roster)
  assert.equal(fs.readFileSync(roster).subarray(0, 2).toString(), 'PK', '慰问名单应为 xlsx 文件')
  assert.ok(execFileSync('unzip', ['-p', roster], { maxBuffer: 64 * 1024 * 1024 }).toString('utf8').includes(who), `慰问名单中应有「${who}」`)

  // ---------------------------------------------------------------- desk: the same pages
  step('桌面宽度：活动页与活动列表')
  await page.setViewportSize(DESK)
  await openCampaign(page, campaignUrl)
  await quiet(page)
  await shot(page, '97-visits-desk-campaign')
  await page.getByTestId('campaign-tabs').getByText('按村统计').click()
  await settled(page, 'progress-villages')
  const villages = await page.getByTestId('progress-villages').innerText()
  assert.ok(villages.includes('合计'), '按村统计应有合计行')
  await shot(page, '98-visits-desk-villages')
  await page.goto(`${BASE_URL}/visits/campaigns`)
  await settled(page, 'campaign-table')
  const listRow = page.getByTestId('campaign-table').locator('tbody tr.el-table__row', { hasText: NAME })
  await listRow.waitFor()
  assert.ok((await listRow.innerText()).includes(`1/${targets}`), '活动列表应显示走访进度')
  await shot(page, '99-visits-desk-list')
  await page.getByTestId('campaign-create-open').click()
  const deskForm = await dialog(page, '新增走访慰问活动')
  await shot(page, '99a-visits-desk-form')
  await deskForm.getByRole('button', { name: '取消' }).click()
  await deskForm.waitFor({ state: 'hidden' })

  step('桌面宽度：我的走访与走访表单')
  await page.goto(`${BASE_URL}/visits/mine`)
  await settled(page, 'mine-list')
  await page.getByTestId('mine-row').first().waitFor()
  await shot(page, '99b-visits-desk-mine')
  await page.getByTestId('mine-row').first().getByTestId('mine-record').click()
  const deskVisit = await dialog(page, '记录走访')
  await inputOf(deskVisit, 'visit-date').click()
  await page.locator('.el-picker-panel:visible').waitFor()
  await closePopper(deskVisit)
  await shot(page, '99c-visits-desk-record')
  await deskVisit.getByRole('button', { name: '取消' }).click()
  await deskVisit.waitFor({ state: 'hidden' })
  await logout(page)
})
fs.rmSync(tmp, { recursive: true, force: true })
