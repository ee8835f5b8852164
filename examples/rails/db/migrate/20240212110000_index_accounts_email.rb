class IndexAccountsEmail < ActiveRecord::Migration[7.1]
  disable_ddl_transaction!

  def change
    add_index :accounts, :email, algorithm: :concurrently
  end
end
