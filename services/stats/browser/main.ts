/*
 * The regulator dashboard of the statistics service, bundled by the build
 * into public/app.js. helmet's Content-Security-Policy (script-src 'self')
 * forbids inline scripts, so every handler is attached here.
 */
import { all, find, get } from '@srs/browser-kit';
import type { ViewName } from './cards';
import { chartJsLoaded } from './chart-library';
import { setupChartDefaults } from './chart-setup';
import { downloadCsv } from './csv-download';
import { setDefaultPeriod } from './filters';
import { drawLiveTable } from './live-chart';
import { loadMethodology } from './methodology';
import { refresh } from './refresh';
import { onLoginSubmit, resumeSession } from './sign-in';
import { showLogin, signOut } from './sign-out';

function start(): void {
  if (!chartJsLoaded()) {
    showLogin('The chart library did not load, so the dashboard cannot be drawn. Reload the page.');
    return;
  }
  setupChartDefaults();
  setDefaultPeriod();
  get<HTMLFormElement>('#login-form').addEventListener('submit', onLoginSubmit);
  get('#sign-out').addEventListener('click', () => signOut(''));
  const form = get<HTMLFormElement>('#filters');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void refresh();
  });
  let pending: ReturnType<typeof setTimeout> | undefined;
  form.addEventListener('change', () => {
    // a date typed digit by digit changes several times: draw once it settles
    clearTimeout(pending);
    pending = setTimeout(refresh, 250);
  });
  for (const button of all<HTMLButtonElement>('[data-csv]'))
    button.addEventListener('click', () => downloadCsv(button.dataset.csv as ViewName, button));
  const liveTable = get<HTMLDetailsElement>('[data-view="live"] details');
  liveTable.addEventListener('toggle', () => liveTable.open && drawLiveTable());
  const methodology = find<HTMLDetailsElement>('#methodology');
  if (methodology) methodology.addEventListener('toggle', () => methodology.open && loadMethodology(methodology));
  resumeSession();
}

start();
