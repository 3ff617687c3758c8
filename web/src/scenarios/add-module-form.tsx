import type { ModuleListing } from '../api/types.ts';
import { Modal } from '../components/modal.tsx';
import { PickApp } from '../picker/pick-app.tsx';

/** Add module: search the apps and their modules, then choose one. */
export function AddModuleForm({
  modules,
  onAdd,
  onCancel,
}: {
  modules: ModuleListing[];
  onAdd: (listing: ModuleListing) => void;
  onCancel: () => void;
}) {
  return (
    <Modal title="Add module" onClose={onCancel} wide>
      <PickApp
        choose="module"
        label="Choose a module"
        modules={modules}
        onPick={({ app, moduleId }) => {
          const chosen = modules.find((m) => m.app === app.id && m.id === moduleId);
          if (chosen) onAdd(chosen);
        }}
      />
      <div className="actions">
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </Modal>
  );
}
