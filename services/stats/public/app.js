/*
 * Regulator dashboard of the statistics service. Plain browser JavaScript, no
 * build step: Chart.js is loaded before this file (vendor/chart.umd.js), and
 * helmet's Content-Security-Policy (script-src 'self') forbids inline scripts,
 * so every handler is attached here.
 *
 * Every API call sends the regulator key as `Authorization: Bearer <key>`; the
 * key lives in sessionStorage, so it is gone when the tab closes. The live
 * counter is Server-Sent Events read with fetch(), because EventSource cannot
 * send that header.
 */
'use strict';

(function () {
  const API = '/v1/stats';
  const KEY_STORAGE = 'srs.stats.regulatorKey';
  const DAY_MS = 86_400_000;
  const MAX_DAYS = { hour: 31, day: 400, week: Infinity };
  const LIVE_BACKOFF_MIN_MS = 1_000;
  const LIVE_BACKOFF_MAX_MS = 30_000;
  /** No byte from the live stream for this long: the connection is dead, reconnect. */
  const LIVE_STALL_MS = 45_000;
  /** Colour-blind safe (mostly Okabe–Ito), each at least 3:1 against white. */
  const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#B8860B', '#882255', '#6A5ACD', '#2A9D8F', '#8A8A1F', '#332288', '#666666', '#3A8FD0'];
  const NUMBER = new Intl.NumberFormat('en');
  const PERCENT = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });
  const REGION = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'region' }) : null;
  const REDUCED_MOTION = window.matchMedia('(prefers-reduced-motion: reduce)').matches;

  const $ = (selector, root) => (root || document).querySelector(selector);
  const $$ = (selector, root) => Array.from((root || document).querySelectorAll(selector));

  const state = {
    key: null,
    meta: null,
    rules: { min_cell: null, dominance_percent: null },
    charts: {},
    /** the views of the last refresh, by name: { url, fileName } for the CSV buttons */
    views: {},
    refresh: null,
    live: null,
    colours: new Map(),
  };

  class ApiError extends Error {
    constructor(status, message, field) {
      super(message);
      this.status = status;
      this.field = field;
    }
    get isAuth() {
      return this.status === 401 || this.status === 403;
    }
  }

  // ---------------------------------------------------------------------------
  // API

  function apiUrl(path, params) {
    const url = new URL(API + path, window.location.origin);
    for (const [name, value] of Object.entries(params || {})) {
      if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, String(value));
    }
    return url.pathname + url.search;
  }

  async function apiFetch(url, { accept = 'application/json', signal, key = state.key } = {}) {
    let res;
    try {
      res = await fetch(url, { headers: { Authorization: `Bearer ${key}`, Accept: accept }, signal, cache: 'no-store' });
    } catch (err) {
      if (err && err.name === 'AbortError') throw err;
      throw new ApiError(0, 'The statistics service could not be reached. Check the connection and try again.');
    }
    if (!res.ok) {
      let message = `The statistics service answered HTTP ${res.status}.`;
      let field;
      try {
        const body = await res.json();
        if (body && body.error) {
          message = body.error.message || message;
          field = body.error.field;
        }
      } catch {
        // not JSON
      }
      throw new ApiError(res.status, message, field);
    }
    return res;
  }

  async function apiJson(url, options) {
    return (await apiFetch(url, options)).json();
  }

  function authMessage(err) {
    if (err.status === 403) return 'This key may not read statistics (HTTP 403). Use a regulator key: operator keys are refused here.';
    return 'This key was not accepted (HTTP 401). Check it and try again, or ask for a new regulator key.';
  }

  // ---------------------------------------------------------------------------
  // Formatting

  const isoDay = (date) => date.toISOString().slice(0, 10);
  const addDays = (day, n) => isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));
  const dayCount = (from, to) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;

  const DATE_FMT = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
  const DAY_FMT = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' });
  const HOUR_FMT = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const MINUTE_FMT = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const CLOCK_FMT = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

  function bucketLabel(iso, grain) {
    const d = new Date(iso);
    if (grain === 'hour') return HOUR_FMT.format(d);
    if (grain === 'week') return `w/c ${DAY_FMT.format(d)}`;
    return DAY_FMT.format(d);
  }

  function formatCount(value) {
    return value === null || value === undefined ? 'suppressed' : NUMBER.format(value);
  }

  function formatShare(value) {
    return value === null || value === undefined ? 'suppressed' : PERCENT.format(value);
  }

  function formatDuration(seconds) {
    if (seconds === null || seconds === undefined) return 'not enough data';
    const s = Math.round(seconds);
    if (s < 60) return `${s} s`;
    if (s < 3600) {
      const m = Math.floor(s / 60);
      const rest = s % 60;
      return rest ? `${m} min ${rest} s` : `${m} min`;
    }
    if (s < 86400) {
      const h = Math.floor(s / 3600);
      const m = Math.round((s % 3600) / 60);
      return m ? `${h} h ${m} min` : `${h} h`;
    }
    const d = Math.floor(s / 86400);
    const h = Math.round((s % 86400) / 3600);
    return h ? `${d} d ${h} h` : `${d} d`;
  }

  function humanise(key) {
    const text = String(key).replace(/_/g, ' ');
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function countryName(code) {
    if (!code || code === 'ZZ') return 'Unknown';
    try {
      const name = REGION && REGION.of(code);
      return name && name !== code ? `${name} (${code})` : code;
    } catch {
      return code;
    }
  }

  /** Meta lists may hold strings or objects; either way, { value, label }. */
  function options(list, labelOf) {
    return (Array.isArray(list) ? list : []).map((item) => {
      if (item === null || typeof item !== 'object') return { value: String(item), label: labelOf(String(item)) };
      const value = String(item.key ?? item.id ?? item.code ?? item.value ?? item.name);
      return { value, label: item.label ?? item.name ?? labelOf(value) };
    });
  }

  function colourFor(key) {
    if (!state.colours.has(key)) state.colours.set(key, PALETTE[state.colours.size % PALETTE.length]);
    return state.colours.get(key);
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  }

  // ---------------------------------------------------------------------------
  // Charts

  /** Grey bands behind buckets whose total is suppressed, so a gap reads as "suppressed", not "zero". */
  const suppressedBands = {
    id: 'suppressedBands',
    beforeDatasetsDraw(chart, _args, opts) {
      const indices = opts && opts.indices;
      if (!indices || !indices.length) return;
      const x = chart.scales.x;
      const { top, bottom } = chart.chartArea;
      const count = chart.data.labels.length;
      if (!x || !count) return;
      const step = x.width / count;
      const ctx = chart.ctx;
      ctx.save();
      ctx.fillStyle = 'rgba(100, 116, 139, 0.16)';
      for (const i of indices) {
        const centre = x.getPixelForValue(i);
        ctx.fillRect(centre - step / 2, top, step, bottom - top);
      }
      ctx.restore();
    },
  };

  function setupChartDefaults() {
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.font.size = 12;
    Chart.defaults.color = '#374151';
    Chart.defaults.borderColor = '#e5e7eb';
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.responsive = true;
    if (REDUCED_MOTION) Chart.defaults.animation = false;
    Chart.register(suppressedBands);
  }

  function baseOptions({ stacked = false, yTitle, tooltipValue = formatCount } = {}) {
    return {
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { stacked, ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 12 }, grid: { display: false } },
        y: { stacked, beginAtZero: true, ticks: { precision: 0 }, title: yTitle ? { display: true, text: yTitle } : { display: false } },
      },
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 12 } },
        tooltip: {
          callbacks: {
            label: (ctx) => `${ctx.dataset.label}: ${tooltipValue(ctx.raw)}`,
          },
        },
        suppressedBands: { indices: [] },
      },
    };
  }

  function makeChart(id, type, options) {
    const canvas = document.getElementById(id);
    const existing = Chart.getChart(canvas);
    if (existing) existing.destroy();
    const chart = new Chart(canvas, { type, data: { labels: [], datasets: [] }, options });
    state.charts[id] = chart;
    return chart;
  }

  function createCharts() {
    makeChart('chart-reports', 'bar', baseOptions({ stacked: true, yTitle: 'reports' }));
    makeChart('chart-campaigns', 'bar', baseOptions({ stacked: true, yTitle: 'campaigns' }));
    makeChart('chart-indicators', 'bar', baseOptions({ stacked: true, yTitle: 'indicators' }));
    const horizontal = () => {
      const o = baseOptions({ yTitle: undefined });
      o.indexAxis = 'y';
      o.interaction = { mode: 'nearest', axis: 'y', intersect: false };
      o.scales = { x: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'reports' } }, y: { grid: { display: false }, ticks: { autoSkip: false } } };
      o.plugins.legend = { display: false };
      return o;
    };
    makeChart('chart-domains', 'bar', horizontal());
    makeChart('chart-tlds', 'bar', horizontal());
    makeChart('chart-time-to-share', 'line', baseOptions({ yTitle: 'time', tooltipValue: formatDuration }));
    const live = baseOptions({ stacked: true, yTitle: 'reports / min' });
    live.animation = false;
    live.scales.x.ticks.maxTicksLimit = 7;
    makeChart('chart-live', 'bar', live);
  }

  function destroyCharts() {
    for (const chart of Object.values(state.charts)) chart.destroy();
    state.charts = {};
  }

  /** A legend label: countries by name, keys such as not_spam in words; labels the API chose stay. */
  function seriesLabel(series) {
    if (series.label && series.label !== series.key) return series.label;
    if (series.key === 'pending') return 'pending analysis';
    if (/^[A-Z]{2}$/.test(series.key)) return countryName(series.key);
    return String(series.key).replace(/_/g, ' ');
  }

  function seriesDataset(series, type, extra) {
    const colour = colourFor(series.key);
    const base = {
      label: seriesLabel(series),
      key: series.key,
      data: series.values.slice(),
      backgroundColor: type === 'line' ? colour : colour,
      borderColor: colour,
      suppressed: series.suppressed || [],
    };
    if (type === 'line') Object.assign(base, { spanGaps: false, pointRadius: 2, pointHoverRadius: 4, borderWidth: 2, tension: 0, fill: false });
    else Object.assign(base, { borderWidth: 0, maxBarThickness: 48 });
    return Object.assign(base, extra || {});
  }

  /** Series of a time-series answer as datasets: the breakdown's series, or the total when there is none. */
  function timeSeriesDatasets(answer, type, totalLabel) {
    const series = Array.isArray(answer.series) && answer.series.length && answer.by && answer.by !== 'none'
      ? answer.series
      : [{ key: '__total', label: totalLabel, values: answer.total.values, suppressed: answer.total.suppressed }];
    return series.map((s) => seriesDataset(s, type));
  }

  function suppressedIndices(values) {
    const out = [];
    (values || []).forEach((v, i) => {
      if (v === null) out.push(i);
    });
    return out;
  }

  // ---------------------------------------------------------------------------
  // Text alternatives

  function renderTable(card, caption, columns, rows) {
    const wrap = $('[data-table]', card);
    if (!wrap) return;
    const head = columns.map((c, i) => `<th scope="col"${i ? ' class="num"' : ''}>${escapeHtml(c)}</th>`).join('');
    const body = rows
      .map((row) => `<tr>${row.map((cell, i) => (i ? `<td class="num">${escapeHtml(cell)}</td>` : `<th scope="row">${escapeHtml(cell)}</th>`)).join('')}</tr>`)
      .join('');
    wrap.innerHTML = `<table><caption>${escapeHtml(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
  }

  function timeSeriesTable(card, caption, labels, datasets, format = formatCount) {
    const columns = ['Period', ...datasets.map((d) => d.label)];
    const rows = labels.map((label, i) => [label, ...datasets.map((d) => format(d.data[i]))]);
    renderTable(card, caption, columns, rows);
  }

  function describe(canvas, text) {
    canvas.setAttribute('aria-label', text);
  }

  /** The legend note on suppression; the operator-dominance rule applies to reports only. */
  function suppressionNote(rules, unit, suppressedCells) {
    const parts = [];
    if (rules && rules.min_cell !== null && rules.min_cell !== undefined) {
      let rule = `Cells under ${rules.min_cell} ${unit}`;
      if (unit === 'reports' && rules.dominance_percent && rules.dominance_percent < 100) rule += `, or with more than ${rules.dominance_percent} % from one operator,`;
      parts.push(`${rule} are suppressed and shown as gaps (grey: a whole period).`);
    }
    if (suppressedCells) parts.push(`${NUMBER.format(suppressedCells)} suppressed ${suppressedCells === 1 ? 'cell' : 'cells'} here, so totals are lower bounds.`);
    return parts.join(' ');
  }

  // ---------------------------------------------------------------------------
  // Filters

  function filters() {
    const form = $('#filters');
    return {
      from: form.from.value,
      to: form.to.value,
      grain: form.grain.value,
      category: form.category.value,
      country: form.country.value,
      by: form.by.value,
    };
  }

  function validate(f) {
    if (!f.from || !f.to) return 'Choose both dates of the period.';
    if (f.from > f.to) return 'The period starts after it ends: the "From" date must be on or before the "To" date.';
    const days = dayCount(f.from, f.to);
    if (days > MAX_DAYS[f.grain]) return `The ${f.grain} grain covers at most ${MAX_DAYS[f.grain]} days; this period has ${days}. Choose a shorter period or a coarser grain.`;
    return null;
  }

  function setDefaultPeriod() {
    const form = $('#filters');
    const today = isoDay(new Date());
    form.to.value = today;
    form.from.value = addDays(today, -29);
  }

  function fillSelect(select, items, allLabel) {
    const current = select.value;
    select.replaceChildren(new Option(allLabel, ''));
    for (const item of items) select.append(new Option(item.label, item.value));
    select.value = items.some((i) => i.value === current) ? current : '';
  }

  function applyMeta(meta) {
    state.meta = meta;
    if (meta && meta.rules) state.rules = meta.rules;
    const form = $('#filters');
    const categories = options(meta.categories, humanise);
    categories.forEach((c) => colourFor(c.value));
    fillSelect(form.category, categories, 'All categories');
    fillSelect(form.country, options(meta.countries, countryName), 'All countries');
    if (Array.isArray(meta.grains) && meta.grains.length) {
      for (const option of Array.from(form.grain.options)) option.disabled = !meta.grains.includes(option.value);
    }
  }

  // ---------------------------------------------------------------------------
  // Views

  function cardOf(view) {
    return $(`[data-view="${view}"]`);
  }

  function setCardState(view, stateName, message) {
    const card = cardOf(view);
    card.dataset.state = stateName;
    card.setAttribute('aria-busy', stateName === 'loading' ? 'true' : 'false');
    let error = $('.card__error', card);
    if (message) {
      if (!error) {
        error = document.createElement('p');
        error.className = 'card__error';
        error.setAttribute('role', 'alert');
        $('.card__head', card).after(error);
      }
      error.textContent = message;
    } else if (error) {
      error.remove();
    }
  }

  function periodSuffix(f) {
    return `${f.from}-${f.to}`;
  }

  /** What each view asks the API for, and the name of its CSV file. */
  function viewRequests(f) {
    // `to` as the start of the next day, a date-time: exclusive however a plain date would be read
    const period = { from: f.from, to: `${addDays(f.to, 1)}T00:00:00Z` };
    const category = f.category || undefined;
    const country = f.country || undefined;
    const suffix = periodSuffix(f);
    // Time to share is kept per day: an hourly view shows it by day.
    const ttsGrain = f.grain === 'hour' ? 'day' : f.grain;
    const byPart = f.by && f.by !== 'none' ? `${f.by}-` : '';
    return {
      summary: { path: '/summary', params: { ...period, category, country }, file: `summary-${suffix}.csv` },
      reports: { path: '/reports', params: { ...period, grain: f.grain, by: f.by, category, country }, file: `reports-${byPart}${f.grain}-${suffix}.csv` },
      // campaigns and indicators have no sender country
      campaigns: { path: '/campaigns', params: { ...period, grain: f.grain, by: 'category', category }, file: `campaigns-${f.grain}-${suffix}.csv` },
      indicators: { path: '/indicators', params: { ...period, grain: f.grain, by: 'category', category }, file: `indicators-${f.grain}-${suffix}.csv` },
      domains: { path: '/domains', params: { ...period, category, country, limit: 20 }, file: `domains-${suffix}.csv` },
      'time-to-share': { path: '/time-to-share', params: { ...period, grain: ttsGrain, category }, file: `time-to-share-${ttsGrain}-${suffix}.csv` },
    };
  }

  const renderers = {
    summary(answer, f) {
      const tiles = {
        reports: formatCount(answer.reports),
        not_spam_share: formatShare(answer.not_spam_share),
        link_share: formatShare(answer.link_share),
        shortener_share: formatShare(answer.shortener_share),
        campaigns: formatCount(answer.campaigns),
        indicators_shared: formatCount(answer.indicators_shared),
        median_seconds_to_share: formatDuration(answer.median_seconds_to_share),
        p90_seconds_to_share: formatDuration(answer.p90_seconds_to_share),
      };
      // Campaigns and indicators have no sender country: filtered by one, the API leaves them out.
      if (f.country) {
        if (answer.campaigns === null) tiles.campaigns = 'not by country';
        if (answer.indicators_shared === null) tiles.indicators_shared = 'not by country';
      }
      for (const [name, text] of Object.entries(tiles)) {
        const dd = $(`[data-tile="${name}"]`);
        dd.textContent = text;
        dd.classList.toggle('tile__value--muted', answer[name] === null || answer[name] === undefined);
      }
      const notes = [];
      if (answer.complete === false) notes.push('Some cells of this period are suppressed, so these totals leave them out: they are lower bounds.');
      if (f.country) notes.push('Campaigns and shared indicators are not kept by sender country; time to share counts every country.');
      $('#summary-note').textContent = notes.join(' ');
    },

    reports(answer, f) {
      const chart = state.charts['chart-reports'];
      const labels = answer.buckets.map((b) => bucketLabel(b, answer.grain));
      const datasets = timeSeriesDatasets(answer, 'bar', 'Reports');
      chart.data.labels = labels;
      chart.data.datasets = datasets;
      chart.options.plugins.suppressedBands.indices = suppressedIndices(answer.total.values);
      chart.options.plugins.legend.display = datasets.length > 1;
      chart.update();
      const card = cardOf('reports');
      const by = answer.by && answer.by !== 'none' ? `, by ${humanise(answer.by).toLowerCase()}` : '';
      const total = answer.total.published_sum;
      const largest = datasets.length > 1
        ? datasets.map((d) => [d.label, d.data.reduce((a, v) => a + (v || 0), 0)]).sort((a, b) => b[1] - a[1])[0]
        : null;
      describe(
        $('#chart-reports'),
        `Stacked bar chart of reports per ${answer.grain}${by}, ${f.from} to ${f.to}. ${NUMBER.format(total)} reports in published cells` +
          (largest ? `; the largest series is ${largest[0]} with ${NUMBER.format(largest[1])}` : '') +
          `. ${answer.total.suppressed_cells || 0} periods suppressed. The table below lists every value.`,
      );
      $('[data-note]', card).textContent = suppressionNote(answer.rules || state.rules, 'reports', countSuppressed(datasets));
      timeSeriesTable(card, `Reports per ${answer.grain}${by}`, labels, datasets);
    },

    campaigns(answer, f) {
      renderCategorySeries('campaigns', 'chart-campaigns', answer, f, 'Campaigns', 'campaigns');
    },

    indicators(answer, f) {
      renderCategorySeries('indicators', 'chart-indicators', answer, f, 'Indicators shared', 'indicators');
    },

    domains(answer, f) {
      const domains = answer.domains || [];
      const tlds = answer.tlds || [];
      const barColour = PALETTE[0];
      const fill = (id, labels, values, label) => {
        const chart = state.charts[id];
        chart.canvas.parentElement.style.height = `${Math.max(8, labels.length * 1.6 + 3)}rem`;
        chart.data.labels = labels;
        chart.data.datasets = [{ label, data: values, backgroundColor: barColour, borderWidth: 0, maxBarThickness: 22 }];
        chart.update();
        chart.resize();
      };
      fill('chart-domains', domains.map((d) => d.domain), domains.map((d) => d.reports), 'Reports');
      fill('chart-tlds', tlds.map((t) => `.${t.tld}`), tlds.map((t) => t.reports), 'Reports');
      const card = cardOf('domains');
      const top = (list, name) => (list.length ? `${list.length} listed, the most reported ${name(list[0])} with ${NUMBER.format(list[0].reports)} reports` : 'none listed');
      describe($('#chart-domains'), `Bar chart of the most abused domains, ${f.from} to ${f.to}: ${top(domains, (d) => d.domain)}. The table below lists every value.`);
      describe($('#chart-tlds'), `Bar chart of the most abused top-level domains, ${f.from} to ${f.to}: ${top(tlds, (t) => '.' + t.tld)}. The table below lists every value.`);
      const rules = answer.rules || state.rules;
      $('[data-note]', card).textContent =
        (domains.length ? '' : 'No domain has enough reports to be listed for this period. ') +
        (rules && rules.min_cell != null ? `Domains and TLDs with fewer than ${rules.min_cell} reports are not listed.` : '');
      const rows = [
        ...domains.map((d) => [d.domain, `.${d.tld}`, formatCount(d.reports)]),
        ...tlds.map((t) => [`(all of .${t.tld})`, `.${t.tld}`, formatCount(t.reports)]),
      ];
      renderTable(card, 'Most reported domains, then top-level domains', ['Domain', 'TLD', 'Reports'], rows);
    },

    'time-to-share'(answer, f) {
      const chart = state.charts['chart-time-to-share'];
      const values = [...(answer.median_seconds || []), ...(answer.p90_seconds || [])].filter((v) => v !== null && v !== undefined);
      const max = values.length ? Math.max(...values) : 0;
      const unit = max >= 2 * 86400 ? ['days', 86400] : max >= 2 * 3600 ? ['hours', 3600] : max >= 120 ? ['minutes', 60] : ['seconds', 1];
      const scaled = (list) => (list || []).map((v) => (v === null || v === undefined ? null : Math.round((v / unit[1]) * 100) / 100));
      const labels = answer.buckets.map((b) => bucketLabel(b, answer.grain));
      const median = seriesDataset({ key: '__median', label: 'Median', values: scaled(answer.median_seconds) }, 'line', { borderColor: PALETTE[0], backgroundColor: PALETTE[0], pointStyle: 'circle' });
      const p90 = seriesDataset({ key: '__p90', label: '90th percentile', values: scaled(answer.p90_seconds) }, 'line', { borderColor: PALETTE[1], backgroundColor: PALETTE[1], borderDash: [6, 4], pointStyle: 'rect' });
      median.seconds = answer.median_seconds;
      p90.seconds = answer.p90_seconds;
      chart.data.labels = labels;
      chart.data.datasets = [median, p90];
      chart.options.scales.y.title = { display: true, text: unit[0] };
      chart.options.plugins.legend.labels.usePointStyle = true;
      chart.options.scales.y.ticks.precision = undefined;
      chart.options.plugins.tooltip.callbacks.label = (ctx) => `${ctx.dataset.label}: ${formatDuration(ctx.dataset.seconds[ctx.dataIndex])}`;
      chart.update();
      const overall = answer.overall || {};
      const card = cardOf('time-to-share');
      const overallText = `Over the period: median ${formatDuration(overall.median_seconds)}, 90th percentile ${formatDuration(overall.p90_seconds)}.`;
      describe($('#chart-time-to-share'), `Line chart of the time from an indicator's first report to its sharing, per ${answer.grain}, ${f.from} to ${f.to}. ${overallText} The table below lists every value.`);
      const notes = [overallText];
      if (f.grain === 'hour') notes.push('Time to share is kept per day, so it is shown by day.');
      if (values.length < (answer.median_seconds || []).length * 2) notes.push('Periods with too few shared indicators are left as gaps.');
      $('[data-note]', card).textContent = notes.join(' ');
      timeSeriesTable(card, `Time to share per ${answer.grain}`, labels, [
        { label: 'Median', data: answer.median_seconds || [] },
        { label: '90th percentile', data: answer.p90_seconds || [] },
      ], formatDuration);
    },
  };

  function countSuppressed(datasets) {
    return datasets.reduce((n, d) => n + d.data.filter((v) => v === null).length, 0);
  }

  function renderCategorySeries(view, id, answer, f, totalLabel, unit) {
    const chart = state.charts[id];
    const labels = answer.buckets.map((b) => bucketLabel(b, answer.grain));
    const datasets = timeSeriesDatasets(answer, 'bar', totalLabel);
    chart.data.labels = labels;
    chart.data.datasets = datasets;
    chart.options.plugins.suppressedBands.indices = suppressedIndices(answer.total.values);
    chart.update();
    const card = cardOf(view);
    describe(
      $(`#${id}`),
      `Stacked bar chart of ${unit} per ${answer.grain} by category, ${f.from} to ${f.to}: ${NUMBER.format(answer.total.published_sum)} in published cells across ${datasets.length} ${datasets.length === 1 ? 'series' : 'categories'}. The table below lists every value.`,
    );
    const notes = [suppressionNote(answer.rules || state.rules, unit, countSuppressed(datasets))];
    if (f.country) notes.push(`${humanise(unit)} are not kept by sender country: this chart counts every country.`);
    $('[data-note]', card).textContent = notes.join(' ');
    timeSeriesTable(card, `${totalLabel} per ${answer.grain} by category`, labels, datasets);
  }

  async function refresh() {
    const f = filters();
    const problem = validate(f);
    showDashboardError(problem);
    if (problem) return;
    if (state.refresh) state.refresh.abort();
    const controller = new AbortController();
    state.refresh = controller;
    $('#period-note').textContent = `Showing ${DATE_FMT.format(new Date(`${f.from}T00:00:00Z`))} to ${DATE_FMT.format(new Date(`${f.to}T00:00:00Z`))} (UTC), by ${f.grain}${f.category ? `, category ${humanise(f.category).toLowerCase()}` : ''}${f.country ? `, sender country ${countryName(f.country)}` : ''}.`;
    const requests = viewRequests(f);
    state.views = {};
    await Promise.all(
      Object.entries(requests).map(async ([view, request]) => {
        const url = apiUrl(request.path, request.params);
        state.views[view] = { url, file: request.file, path: request.path, params: request.params };
        const card = cardOf(view);
        card.dataset.query = url;
        setCardState(view, 'loading');
        try {
          const answer = await apiJson(url, { signal: controller.signal });
          if (controller.signal.aborted) return;
          renderers[view](answer, f);
          setCardState(view, 'ready');
        } catch (err) {
          if (controller.signal.aborted || (err && err.name === 'AbortError')) return;
          if (err instanceof ApiError && err.isAuth) return signOut(authMessage(err));
          setCardState(view, 'error', err instanceof ApiError ? err.message : 'This view could not be drawn.');
          if (!(err instanceof ApiError)) console.error(err);
        }
      }),
    );
  }

  function showDashboardError(message) {
    const box = $('#dashboard-error');
    box.textContent = message || '';
    box.hidden = !message;
  }

  // ---------------------------------------------------------------------------
  // CSV downloads

  async function downloadCsv(view, button) {
    const request = state.views[view];
    if (!request) return;
    const url = apiUrl(request.path, { ...request.params, format: 'csv' });
    const label = button.firstChild.textContent;
    button.disabled = true;
    button.firstChild.textContent = 'Preparing…';
    try {
      const res = await apiFetch(url, { accept: 'text/csv' });
      const blob = await res.blob();
      const csv = blob.type && blob.type.startsWith('text/csv') ? blob : new Blob([blob], { type: 'text/csv;charset=utf-8' });
      const href = URL.createObjectURL(csv);
      const a = document.createElement('a');
      a.href = href;
      a.download = fileName(res.headers.get('Content-Disposition')) || request.file;
      a.hidden = true;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(href), 60_000);
    } catch (err) {
      if (err instanceof ApiError && err.isAuth) return signOut(authMessage(err));
      setCardState(view, cardOf(view).dataset.state, `The CSV could not be downloaded: ${err.message}`);
    } finally {
      button.disabled = false;
      button.firstChild.textContent = label;
    }
  }

  /** The file name the API gives its download, so both ways of fetching a view name it alike. */
  function fileName(disposition) {
    const match = /filename="?([^";]+)"?/i.exec(disposition || '');
    return match && /^[\w.-]+\.csv$/.test(match[1]) ? match[1] : null;
  }

  // ---------------------------------------------------------------------------
  // Live counter: Server-Sent Events over fetch()

  /** Reads an event stream, calling onEvent(name, data) per event; resolves when the stream ends. */
  async function readEventStream(body, onEvent, onBytes) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let event = '';
    let data = [];
    const dispatch = () => {
      if (data.length) onEvent(event || 'message', data.join('\n'));
      event = '';
      data = [];
    };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      onBytes();
      buffer += value;
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop();
      for (const line of lines) {
        if (line === '') {
          dispatch();
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let content = colon < 0 ? '' : line.slice(colon + 1);
        if (content.startsWith(' ')) content = content.slice(1);
        if (field === 'event') event = content;
        else if (field === 'data') data.push(content);
      }
    }
  }

  function setLiveStatus(text, kind) {
    const el = $('#live-status');
    if (el.textContent !== text) el.textContent = text;
    el.dataset.kind = kind;
  }

  function startLive() {
    stopLive();
    const controller = new AbortController();
    state.live = controller;
    liveLoop(controller.signal);
  }

  function stopLive() {
    if (state.live) state.live.abort();
    state.live = null;
  }

  function sleep(ms, signal) {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
  }

  async function liveLoop(signal) {
    let backoff = LIVE_BACKOFF_MIN_MS;
    while (!signal.aborted) {
      const attempt = new AbortController();
      const abortAttempt = () => attempt.abort();
      signal.addEventListener('abort', abortAttempt, { once: true });
      let stall;
      const watch = () => {
        clearTimeout(stall);
        stall = setTimeout(abortAttempt, LIVE_STALL_MS);
      };
      try {
        setLiveStatus(backoff === LIVE_BACKOFF_MIN_MS ? 'Live: connecting…' : 'Live: reconnecting…', 'connecting');
        watch();
        const res = await apiFetch(`${API}/live`, { accept: 'text/event-stream', signal: attempt.signal });
        if (!res.body) throw new Error('no stream');
        setLiveStatus('Live: connected', 'ok');
        await readEventStream(
          res.body,
          (name, data) => {
            if (name !== 'counts') return;
            renderLive(JSON.parse(data));
            backoff = LIVE_BACKOFF_MIN_MS;
          },
          watch,
        );
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof ApiError && err.isAuth) return signOut(authMessage(err));
        if (err instanceof ApiError && err.status && err.status < 500 && err.status !== 429) {
          setLiveStatus(`Live: unavailable (HTTP ${err.status})`, 'error');
          setCardState('live', 'error', err.message);
        }
      } finally {
        clearTimeout(stall);
        signal.removeEventListener('abort', abortAttempt);
      }
      if (signal.aborted) return;
      const wait = Math.round(backoff * (0.75 + Math.random() * 0.5));
      setLiveStatus(`Live: reconnecting in ${Math.max(1, Math.round(wait / 1000))} s`, 'waiting');
      await sleep(wait, signal);
      backoff = Math.min(backoff * 2, LIVE_BACKOFF_MAX_MS);
    }
  }

  function renderLive(answer) {
    const chart = state.charts['chart-live'];
    if (!chart) return;
    const minutes = answer.minutes || [];
    const labels = minutes.map((m) => MINUTE_FMT.format(new Date(m)));
    const series = Array.isArray(answer.series) && answer.series.length
      ? answer.series
      : [{ key: '__total', label: 'Reports', values: answer.total.values }];
    const datasets = series.map((s) => seriesDataset(s, 'bar', { maxBarThickness: 12 }));
    chart.data.labels = labels;
    chart.data.datasets = datasets;
    chart.options.plugins.suppressedBands.indices = [];
    chart.update('none');
    const now = new Date();
    const time = $('#live-updated');
    time.dateTime = now.toISOString();
    time.textContent = `${CLOCK_FMT.format(now)} UTC`;
    const card = cardOf('live');
    card.dataset.updates = String(Number(card.dataset.updates || 0) + 1);
    setCardState('live', 'ready');
    const totals = (answer.total && answer.total.values) || [];
    const published = totals.reduce((a, v) => a + v, 0);
    const last = totals.length ? totals[totals.length - 1] : null;
    const note = $('[data-live-note]', card);
    if (note) {
      note.textContent = published === 0
        ? 'No reports in the last hour.'
        : `Each minute carries random noise (ε = ${answer.epsilon} per report), so no minute is exact; the hourly and daily figures are.`;
    }
    describe(
      $('#chart-live'),
      `Bar chart of reports per minute by category over the last hour, updated ${CLOCK_FMT.format(now)} UTC: about ${NUMBER.format(published)} reports (with noise); last minute ${formatCount(last)}.`,
    );
    // The table follows every update only while it is open; opening it draws it afresh.
    if ($('details', card).open) drawLiveTable();
  }

  function drawLiveTable() {
    const chart = state.charts['chart-live'];
    if (chart) timeSeriesTable(cardOf('live'), 'Reports per minute over the last hour (UTC)', chart.data.labels, chart.data.datasets);
  }

  // ---------------------------------------------------------------------------
  // Methodology

  async function loadMethodology(details) {
    const target = $('[data-methodology]', details);
    if (details.dataset.loaded) return;
    target.textContent = 'Loading…';
    try {
      const res = await apiFetch(`${API}/methodology`, { accept: 'text/markdown, text/plain' });
      target.textContent = await res.text();
      details.dataset.loaded = '1';
    } catch (err) {
      if (err instanceof ApiError && err.isAuth) return signOut(authMessage(err));
      target.textContent = `The methodology could not be loaded: ${err.message}`;
    }
  }

  // ---------------------------------------------------------------------------
  // Session

  function showLogin(message) {
    $('#dashboard').hidden = true;
    $('#session').hidden = true;
    $('#login').hidden = false;
    const error = $('#login-error');
    error.textContent = message || '';
    error.hidden = !message;
    $('#key').setAttribute('aria-invalid', message ? 'true' : 'false');
    $('#key').focus();
  }

  async function showDashboard() {
    $('#login').hidden = true;
    $('#dashboard').hidden = false;
    $('#session').hidden = false;
    createCharts();
    startLive();
    await refresh();
  }

  function signOut(message) {
    state.key = null;
    sessionStorage.removeItem(KEY_STORAGE);
    if (state.refresh) state.refresh.abort();
    stopLive();
    destroyCharts();
    state.views = {};
    const methodology = $('#methodology');
    if (methodology) {
      methodology.open = false;
      delete methodology.dataset.loaded;
    }
    $('#key').value = '';
    setLiveStatus('', 'idle');
    showLogin(message);
  }

  async function signIn(key) {
    const meta = await apiJson(apiUrl('/meta'), { key });
    state.key = key;
    sessionStorage.setItem(KEY_STORAGE, key);
    applyMeta(meta);
    await showDashboard();
  }

  async function onLoginSubmit(event) {
    event.preventDefault();
    const input = $('#key');
    const key = input.value.trim();
    if (!key) return showLogin('Enter your regulator key.');
    const submit = $('#login-submit');
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    try {
      await signIn(key);
      input.value = '';
      $('#main').focus();
    } catch (err) {
      const message = err instanceof ApiError ? (err.isAuth ? authMessage(err) : err.message) : 'Signing in failed.';
      showLogin(message);
      if (!(err instanceof ApiError)) console.error(err);
    } finally {
      submit.disabled = false;
      submit.textContent = 'Sign in';
    }
  }

  function start() {
    if (typeof Chart === 'undefined') {
      showLogin('The chart library did not load, so the dashboard cannot be drawn. Reload the page.');
      return;
    }
    setupChartDefaults();
    setDefaultPeriod();
    $('#login-form').addEventListener('submit', onLoginSubmit);
    $('#sign-out').addEventListener('click', () => signOut(''));
    const form = $('#filters');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      refresh();
    });
    let pending;
    form.addEventListener('change', () => {
      // a date typed digit by digit changes several times: draw once it settles
      clearTimeout(pending);
      pending = setTimeout(refresh, 250);
    });
    for (const button of $$('[data-csv]')) button.addEventListener('click', () => downloadCsv(button.dataset.csv, button));
    const liveTable = $('[data-view="live"] details');
    liveTable.addEventListener('toggle', () => liveTable.open && drawLiveTable());
    const methodology = $('#methodology');
    if (methodology) methodology.addEventListener('toggle', () => methodology.open && loadMethodology(methodology));

    const saved = sessionStorage.getItem(KEY_STORAGE);
    if (!saved) return showLogin('');
    signIn(saved).catch((err) => {
      if (err instanceof ApiError && err.isAuth) return signOut(authMessage(err));
      sessionStorage.removeItem(KEY_STORAGE);
      showLogin(err instanceof ApiError ? err.message : 'Signing in failed.');
    });
  }

  start();
})();
