// Photos for a visit record, read in the browser before they are sent as base64 in the JSON body.
// A phone's camera picture (3–8 MB, sometimes HEIC) is redrawn as a JPEG no wider or taller than
// MAX_SIDE so that a cadre on a weak mobile connection can send six of them; a small JPEG or PNG is
// sent as it is. The server checks the content again (JPEG/PNG only, 10 MB each, six at most).

export const MAX_PHOTOS = 6
export const MAX_BYTES = 10 * 1024 * 1024
const MAX_SIDE = 1920
const KEEP_BELOW = 1.5 * 1024 * 1024

function readDataUrl(blob) {
  return new Promise((resolve, reject) => {
    const r = new FileReader()
    r.onload = () => resolve(String(r.result))
    r.onerror = () => reject(r.error || new Error('read failed'))
    r.readAsDataURL(blob)
  })
}

function loadImage(url) {
  return new Promise((resolve, reject) => {
    const img = new Image()
    img.onload = () => resolve(img)
    img.onerror = () => reject(new Error('not an image'))
    img.src = url
  })
}

async function redraw(file) {
  const url = URL.createObjectURL(file)
  try {
    const img = await loadImage(url)
    const scale = Math.min(1, MAX_SIDE / Math.max(img.naturalWidth, img.naturalHeight))
    const canvas = document.createElement('canvas')
    canvas.width = Math.max(1, Math.round(img.naturalWidth * scale))
    canvas.height = Math.max(1, Math.round(img.naturalHeight * scale))
    canvas.getContext('2d').drawImage(img, 0, 0, canvas.width, canvas.height)
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85))
    if (!blob) throw new Error('encode failed')
    return blob
  } finally {
    URL.revokeObjectURL(url)
  }
}

/**
 * File → { file_name, content_base64, preview, size } or throws an Error with a Chinese message.
 */
export async function readPhoto(file) {
  if (file.type && !file.type.startsWith('image/')) throw new Error(`“${file.name}”不是图片文件`)
  const plain = file.type === 'image/jpeg' || file.type === 'image/png'
  let blob = file
  let name = file.name || 'photo.jpg'
  if (!plain || file.size > KEEP_BELOW) {
    try {
      blob = await redraw(file)
      name = name.replace(/\.[^.]*$/, '') + '.jpg'
    } catch {
      if (!plain) throw new Error(`“${file.name}”不是可识别的图片（请使用 JPG 或 PNG 照片）`)
      blob = file
    }
  }
  if (blob.size > MAX_BYTES) throw new Error(`“${file.name}”超过 10 MB，请重新拍摄或选择较小的照片`)
  const dataUrl = await readDataUrl(blob)
  return {
    file_name: name,
    content_base64: dataUrl.slice(dataUrl.indexOf(',') + 1),
    preview: dataUrl,
    size: blob.size,
  }
}
