// The VDSR upscaler page: files are sent one at a time to POST /api/jobs, whose answer is a stream
// of server-sent events (queued, started, progress per tile, done or error). Closing the page
// aborts the request, and the server stops the job.
'use strict';

const page = {
  queue: [],
  running: false,
  leaving: new AbortController(),
};

const $ = (selector, root = document) => root.querySelector(selector);

function formatPixels(n) {
  return n >= 1e6 ? `${(n / 1e6).toLocaleString('en', { maximumFractionDigits: 1 })} million` : n.toLocaleString('en');
}

function formatBytes(n) {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toLocaleString('en', { maximumFractionDigits: 1 })} MiB` : `${n.toLocaleString('en')} bytes`;
}

async function loadHealth() {
  const status = $('#server-status');
  try {
    const response = await fetch('/api/health', { cache: 'no-store' });
    const health = await response.json();
    const models = $('#model');
    models.replaceChildren(...health.models.map(m => {
      const option = new Option(m.label, m.id);
      option.title = m.description;
      return option;
    }));
    $('#scale').value = '2';
    $('#limits').textContent =
      `PNG, JPEG, BMP, WebP or GIF; up to ${formatPixels(health.maxPixels)} pixels (picture and result) and ${formatBytes(health.maxUploadBytes)} per file.`;
    status.textContent = `Server ${health.version} ready: ${health.models.map(m => m.label).join(', ')}`;
    document.body.dataset.ready = 'true';
  } catch (error) {
    status.textContent = `The server cannot be reached (${error.message}).`;
  }
}

function setStatus(card, state, text) {
  card.dataset.state = state;
  $('.status', card).textContent = text;
}

function addFiles(files) {
  for (const file of files) {
    const card = $('#job-template').content.firstElementChild.cloneNode(true);
    $('.name', card).textContent = file.name;
    setStatus(card, 'waiting', 'Waiting');
    $('#jobs').prepend(card);
    page.queue.push({
      file,
      card,
      scale: $('#scale').value,
      model: $('#model').value,
      mode: $('#ground-truth').checked ? 'ground-truth' : 'upscale',
    });
  }
  pump();
}

async function pump() {
  if (page.running) return;
  page.running = true;
  try {
    while (page.queue.length > 0) await run(page.queue.shift());
  } finally {
    page.running = false;
  }
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function run(job) {
  const query = new URLSearchParams({ scale: job.scale, mode: job.mode, name: job.file.name });
  if (job.model) query.set('model', job.model);
  for (;;) {
    setStatus(job.card, 'uploading', 'Uploading');
    let response;
    try {
      response = await fetch(`/api/jobs?${query}`, { method: 'POST', body: job.file, signal: page.leaving.signal });
    } catch (error) {
      setStatus(job.card, 'error', `The server cannot be reached (${error.message})`);
      return;
    }
    if (response.status === 429) {
      const seconds = Number.parseInt(response.headers.get('Retry-After') ?? '5', 10) || 5;
      setStatus(job.card, 'waiting', `Server busy, trying again in ${seconds} s`);
      await sleep(seconds * 1000);
      continue;
    }
    if (!response.ok) {
      setStatus(job.card, 'error', await errorOf(response));
      return;
    }
    await readEvents(response, job.card);
    return;
  }
}

async function errorOf(response) {
  try {
    return (await response.json()).error;
  } catch {
    return `The server answered ${response.status} ${response.statusText}`;
  }
}

async function readEvents(response, card) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let finished = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      for (let end; (end = buffer.indexOf('\n\n')) >= 0;) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        finished = (await handleEvent(card, parseEvent(block))) || finished;
      }
    }
  } catch (error) {
    setStatus(card, 'error', `The connection to the server broke (${error.message})`);
    return;
  }
  if (!finished) setStatus(card, 'error', 'The server ended the job without a result');
}

function parseEvent(block) {
  let name = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) name = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
  }
  return { name, data: data.length > 0 ? JSON.parse(data.join('\n')) : null };
}

/** Returns true for the events that end a job. */
async function handleEvent(card, { name, data }) {
  switch (name) {
    case 'queued':
      card.dataset.size = `${data.width}x${data.height}`;
      setStatus(card, 'queued', data.ahead > 0 ? `Waiting for ${data.ahead} job${data.ahead > 1 ? 's' : ''} ahead` : 'Starting');
      return false;
    case 'started':
      setStatus(card, 'running', `Upscaling (${data.description})`);
      return false;
    case 'progress':
      $('.progress', card).value = data.done / data.total;
      setStatus(card, 'running', `Tile ${data.done} of ${data.total}`);
      return false;
    case 'done':
      await showResult(card, data);
      return true;
    case 'error':
      setStatus(card, 'error', data.error);
      return true;
    default:
      return false;
  }
}

async function showResult(card, result) {
  const before = $('.before', card);
  const after = $('.after', card);
  before.src = result.pictures.bicubic.url;
  after.src = result.pictures.vdsr.url;
  await Promise.all([before.decode(), after.decode()]).catch(() => {});
  $('.viewer', card).hidden = false;
  setupComparison(card);

  if (result.psnrVdsr != null) {
    const psnr = $('.psnr', card);
    const gain = result.psnrVdsr - result.psnrBicubic;
    psnr.textContent = `PSNR on Y against the picture: bicubic ${result.psnrBicubic.toFixed(2)} dB, VDSR ${result.psnrVdsr.toFixed(2)} dB `
      + `(${gain >= 0 ? '+' : ''}${gain.toFixed(2)} dB)`;
    psnr.hidden = false;
  }
  const links = $('.links', card);
  const labels = { vdsr: 'Download VDSR PNG', bicubic: 'Download bicubic PNG', 'ground-truth': 'Download ground truth PNG' };
  links.replaceChildren(...Object.entries(labels).filter(([kind]) => result.pictures[kind]).map(([kind, label]) => {
    const link = document.createElement('a');
    link.href = result.pictures[kind].url;
    link.download = result.pictures[kind].file;
    link.className = `download-${kind}`;
    link.textContent = label;
    return link;
  }));
  links.hidden = false;
  const size = `${result.width}×${result.height} → ${result.outputWidth}×${result.outputHeight}`;
  setStatus(card, 'done', `Done in ${result.seconds.toFixed(1)} s, ×${result.scale}, ${size}`);
}

function setupComparison(card) {
  const box = $('.compare', card);
  const before = $('.before', card);
  const after = $('.after', card);
  const divider = $('.divider', card);
  const slider = $('.slider', card);
  const loupe = $('.loupe', card);

  const setDivider = percent => {
    slider.value = String(percent);
    before.style.clipPath = `inset(0 ${100 - percent}% 0 0)`;
    divider.style.left = `${percent}%`;
  };
  setDivider(50);
  slider.addEventListener('input', () => setDivider(Number(slider.value)));

  const percentAt = event => {
    const rect = box.getBoundingClientRect();
    return Math.min(100, Math.max(0, ((event.clientX - rect.left) / rect.width) * 100));
  };
  let dragging = false;
  box.addEventListener('pointerdown', event => {
    dragging = true;
    box.setPointerCapture(event.pointerId);
    setDivider(percentAt(event));
  });
  box.addEventListener('pointerup', () => { dragging = false; });
  box.addEventListener('pointerleave', () => { loupe.hidden = true; });
  box.addEventListener('pointermove', event => {
    if (dragging) setDivider(percentAt(event));
    showLoupe(event);
  });

  function showLoupe(event) {
    const rect = box.getBoundingClientRect();
    const x = event.clientX - rect.left;
    const y = event.clientY - rect.top;
    const zoom = Number($('#loupe-zoom').value);
    const side = x / rect.width * 100 < Number(slider.value) ? before : after;
    const naturalX = x * after.naturalWidth / rect.width;
    const naturalY = y * after.naturalHeight / rect.height;
    const size = loupe.offsetWidth || 180;
    loupe.hidden = false;
    loupe.style.left = `${x - size / 2}px`;
    loupe.style.top = `${y - size / 2}px`;
    loupe.style.backgroundImage = `url("${side.src}")`;
    loupe.style.backgroundSize = `${after.naturalWidth * zoom}px ${after.naturalHeight * zoom}px`;
    loupe.style.backgroundPosition = `${size / 2 - naturalX * zoom}px ${size / 2 - naturalY * zoom}px`;
  }
}

function setupDrop() {
  const drop = $('#drop');
  const input = $('#files');
  input.addEventListener('change', () => {
    addFiles([...input.files]);
    input.value = '';
  });
  for (const target of [drop, document.body]) {
    target.addEventListener('dragover', event => {
      event.preventDefault();
      drop.classList.add('over');
    });
    target.addEventListener('dragleave', () => drop.classList.remove('over'));
    target.addEventListener('drop', event => {
      event.preventDefault();
      event.stopPropagation();
      drop.classList.remove('over');
      addFiles([...event.dataTransfer.files]);
    });
  }
}

window.addEventListener('pagehide', () => page.leaving.abort());
setupDrop();
loadHealth();
