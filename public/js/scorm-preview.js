// SCORM preview player: hosts scorm-again as the LMS API for the package in the frame, and shows
// what the package reports as it happens. Loaded after scorm-again's browser build (deferred, in order).
(() => {
  const root = document.getElementById('scorm-preview');
  if (!root) return;
  const is12 = root.dataset.format === 'scorm12';
  const settings = { autocommit: false, lmsCommitUrl: false, logLevel: 5 };
  const api = is12 ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);

  // What an LMS takes from the manifest before launch.
  const passing = Number(root.dataset.mastery);
  if (is12) api.loadFromJSON({ student_data: { mastery_score: String(passing) } }, '');
  else api.loadFromJSON({ scaled_passing_score: String(passing / 100) }, '');

  const logList = document.getElementById('cmi-log');
  const written = {};
  const addLog = (text) => {
    const item = document.createElement('li');
    item.textContent = text;
    logList.append(item);
    logList.scrollTop = logList.scrollHeight;
  };

  const text = (value) => (value === undefined || value === null || value === '' ? '—' : String(value));

  const summaryRows = (cmi) =>
    is12
      ? [
          ['lesson_status', cmi.core.lesson_status],
          [
            'score',
            cmi.core.score.raw === ''
              ? ''
              : `${cmi.core.score.raw} (min ${cmi.core.score.min}, max ${cmi.core.score.max})`,
          ],
          ['mastery_score', cmi.student_data.mastery_score],
          ['lesson_location', cmi.core.lesson_location],
          ['exit', written['cmi.core.exit']],
          ['session_time', written['cmi.core.session_time']],
        ]
      : [
          ['completion_status', cmi.completion_status],
          ['success_status', cmi.success_status],
          ['score', cmi.score.raw === '' ? '' : `${cmi.score.raw} (scaled ${text(cmi.score.scaled)})`],
          ['scaled_passing_score', cmi.scaled_passing_score],
          ['location', cmi.location],
          ['exit', written['cmi.exit']],
          ['session_time', written['cmi.session_time']],
        ];

  const render = () => {
    const cmi = api.renderCMIToJSONObject().cmi;
    const summary = document.getElementById('cmi-summary');
    summary.replaceChildren();
    for (const [name, value] of summaryRows(cmi)) {
      const dt = document.createElement('dt');
      dt.textContent = name;
      const dd = document.createElement('dd');
      dd.textContent = text(value);
      summary.append(dt, dd);
    }
    const rows = Object.values(cmi.interactions || {}).map((i) => {
      const tr = document.createElement('tr');
      for (const value of [i.id, is12 ? i.student_response : i.learner_response, i.result]) {
        const td = document.createElement('td');
        td.textContent = text(value);
        tr.append(td);
      }
      return tr;
    });
    if (rows.length > 0) document.getElementById('cmi-interactions').replaceChildren(...rows);
    document.getElementById('cmi-suspend').textContent = cmi.suspend_data || '(empty)';
    document.getElementById('cmi-suspend-length').textContent = `(${(cmi.suspend_data || '').length} of ${
      is12 ? '4,096' : '64,000'
    } characters)`;
  };

  const calls = is12 ? ['LMSInitialize', 'LMSCommit', 'LMSFinish'] : ['Initialize', 'Commit', 'Terminate'];
  for (const name of calls) {
    api.on(name, () => {
      addLog(`${name}()`);
      render();
    });
  }
  api.on(`${is12 ? 'LMSSetValue' : 'SetValue'}.cmi.*`, (element, value) => {
    written[element] = value;
    addLog(`SetValue ${element} = ${value}`);
    render();
  });

  if (is12) window.API = api;
  else window.API_1484_11 = api;
  render();
  // The frame starts only now, so the API exists before the package looks for it.
  document.getElementById('scorm-preview-frame').src = root.dataset.launch;
})();
